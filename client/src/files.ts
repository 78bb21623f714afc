/**
 * Commands that write files: exports of the report and segments, a new
 * transcript, a copy of the example study. Each asks where to save with the
 * editor's own dialog; tests pass the target instead.
 */
import * as vscode from 'vscode';
import { coverageCsv, coverageMarkdown } from '../../server/src/core/render/coverageReport';
import { segmentsCsv } from '../../server/src/core/render/codeTables';
import type { SegmentRow } from '../../server/src/protocol';
import { folderFor, type StudyClient } from './study';
import type { ExportFormat } from './reportPanel';

const encoder = new TextEncoder();

/** A save dialog starting in the study folder; undefined when cancelled. */
async function askTarget(folder: vscode.WorkspaceFolder | undefined, name: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
  const base = folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({ defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined, filters, title, saveLabel: 'Save' });
}

async function saved(target: vscode.Uri, what: string, interactive: boolean): Promise<void> {
  if (!interactive) return;
  const open = 'Open';
  const choice = await vscode.window.showInformationMessage(`Saved ${what} to ${vscode.workspace.asRelativePath(target)}.`, open);
  if (choice === open) await vscode.commands.executeCommand('vscode.open', target);
}

export async function exportCoverage(study: StudyClient, format?: ExportFormat, target?: vscode.Uri, folder = folderFor()): Promise<vscode.Uri | undefined> {
  const interactive = target === undefined;
  if (!format) {
    const pick = await vscode.window.showQuickPick([
      { label: 'CSV', description: 'One row per transcript, one column per question: for a spreadsheet', format: 'csv' as const },
      { label: 'Markdown', description: 'Tables per guide and section: for a document or a wiki', format: 'md' as const },
    ], { title: 'Export coverage report', placeHolder: 'Choose a format' });
    if (!pick) return undefined;
    format = pick.format;
  }
  const report = await study.coverage(folder ? { folder: folder.uri.toString() } : {});
  target ??= await askTarget(folder, format === 'csv' ? 'coverage-report.csv' : 'coverage-report.md',
    format === 'csv' ? { 'CSV': ['csv'] } : { 'Markdown': ['md'] }, 'Export coverage report');
  if (!target) return undefined;
  // A byte-order mark lets spreadsheet programs read the CSV as UTF-8.
  const text = format === 'csv' ? coverageCsv(report, { bom: true }) : coverageMarkdown(report);
  await vscode.workspace.fs.writeFile(target, encoder.encode(text));
  await saved(target, 'the coverage report', interactive);
  return target;
}

/** Every coded segment of the folder's study, in file then document order. */
export async function allSegments(study: StudyClient, folder: vscode.WorkspaceFolder | undefined): Promise<SegmentRow[]> {
  const folderParam = folder ? { folder: folder.uri.toString() } : {};
  const rows = await study.codeCounts(folderParam);
  const lists = await Promise.all(rows.filter((r) => r.segments > 0).map((r) => study.segments({ code: r.code, ...folderParam })));
  return lists.flat().sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
    || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || b.range.end.line - a.range.end.line || b.range.end.character - a.range.end.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export async function exportSegments(study: StudyClient, target?: vscode.Uri, folder = folderFor()): Promise<vscode.Uri | undefined> {
  const interactive = target === undefined;
  target ??= await askTarget(folder, 'coded-segments.csv', { 'CSV': ['csv'] }, 'Export coded segments');
  if (!target) return undefined;
  const rows = await allSegments(study, folder);
  await vscode.workspace.fs.writeFile(target, encoder.encode(segmentsCsv(rows, { bom: true })));
  await saved(target, `${rows.length} coded segment${rows.length === 1 ? '' : 's'}`, interactive);
  return target;
}

export interface NewTranscriptArgs {
  guide?: string;
  role?: string;
  participant?: string;
  target?: vscode.Uri;
}

/** The front matter and first lines of a new transcript. */
export function transcriptTemplate(guide: string, role: string | undefined, participant: string, date: string, firstQuestion?: string): string {
  const lines = ['---', `guide: ${guide}`, `participant: ${yamlScalar(participant)}`];
  if (role) lines.push(`role: ${role}`);
  lines.push(`date: ${date}`, '---', '', `I: ${firstQuestion ? `@${firstQuestion} ` : ''}`, 'R: ', '');
  return lines.join('\n');
}

function yamlScalar(s: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u.test(s) ? s : JSON.stringify(s);
}

export async function newTranscript(study: StudyClient, args: NewTranscriptArgs = {}): Promise<vscode.Uri | undefined> {
  const folder = folderFor(args.target);
  const report = await study.coverage(folder ? { folder: folder.uri.toString() } : {});
  if (report.guides.length === 0) {
    void vscode.window.showWarningMessage('This folder has no interview guide (*.guide.yaml) yet. Create one first, or open the example study to see how one looks.');
    return undefined;
  }
  let guide = report.guides.find((g) => g.id === args.guide);
  if (!guide) {
    guide = report.guides.length === 1 ? report.guides[0] : (await vscode.window.showQuickPick(
      report.guides.map((g) => ({ label: g.title || g.id, description: g.id, detail: `${g.transcripts.length} transcript(s) so far · ${g.file}`, g })),
      { title: 'New transcript (1/3)', placeHolder: 'Which interview guide does this interview follow?' },
    ))?.g;
  }
  if (!guide) return undefined;
  let role = args.role;
  if (role === undefined && guide.roles.length > 0) {
    role = (await vscode.window.showQuickPick(
      guide.roles.map((r) => ({ label: r.label, description: r.id, id: r.id })),
      { title: 'New transcript (2/3)', placeHolder: 'What is the participant\'s role?' },
    ))?.id;
    if (role === undefined) return undefined;
  }
  const participant = args.participant ?? await vscode.window.showInputBox({
    title: 'New transcript (3/3)',
    prompt: 'The participant\'s label as reports should show it (a pseudonym or code such as SW08)',
    validateInput: (v) => (v.trim() === '' ? 'Give a label; use a code rather than a real name.' : undefined),
  });
  if (!participant) return undefined;
  const name = `${participant.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'interview'}.transcript`;
  const target = args.target ?? await askTarget(folder, name, { 'Transcript': ['transcript'] }, 'New transcript');
  if (!target) return undefined;
  const first = guide.sections.flatMap((s) => s.questions).find((q) => !q.optional && (q.roles.length === 0 || (role !== undefined && q.roles.includes(role))));
  const today = new Date().toISOString().slice(0, 10);
  await vscode.workspace.fs.writeFile(target, encoder.encode(transcriptTemplate(guide.id, role, participant.trim(), today, first?.id)));
  const doc = await vscode.workspace.openTextDocument(target);
  const editor = await vscode.window.showTextDocument(doc);
  // Leave the cursor after the first question marker, where the interviewer's words go.
  const line = doc.lineAt(doc.lineCount - 3);
  editor.selection = new vscode.Selection(line.range.end, line.range.end);
  return target;
}

/** Copies the bundled example study into a folder the user picks, and opens it. */
export async function openExampleStudy(context: vscode.ExtensionContext, parent?: vscode.Uri, open = true): Promise<vscode.Uri | undefined> {
  if (!parent) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
      title: 'Where should the example study be copied?', openLabel: 'Copy example study here',
    });
    parent = picked?.[0];
  }
  if (!parent) return undefined;
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples', 'ppp-study');
  let target = vscode.Uri.joinPath(parent, 'ppp-study');
  for (let n = 2; await exists(target); n++) target = vscode.Uri.joinPath(parent, `ppp-study-${n}`);
  await vscode.workspace.fs.copy(source, target, { overwrite: false });
  if (open) await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
