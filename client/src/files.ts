/**
 * Commands that create files: a new transcript, a copy of the example study. Each asks where to
 * save with the editor's own dialog; tests pass the target instead.
 */
import * as vscode from 'vscode';
import { folderFor, type StudyClient } from './study';

const encoder = new TextEncoder();

/** A save dialog starting in the study folder; undefined when cancelled. */
async function askTarget(folder: vscode.WorkspaceFolder | undefined, name: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
  const base = folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({ defaultUri: base ? vscode.Uri.joinPath(base, name) : undefined, filters, title, saveLabel: 'Save' });
}

export interface NewTranscriptArgs {
  guide?: string;
  role?: string;
  participant?: string;
  target?: vscode.Uri;
}

/** The front matter and first lines of a new transcript: an interviewer's turn, then the participant's. */
export function transcriptTemplate(guide: string, role: string | undefined, participant: string, date: string): string {
  const lines = ['---', `guide: ${guide}`, `participant: ${yamlScalar(participant)}`];
  if (role) lines.push(`role: ${role}`);
  lines.push(`date: ${date}`, '---', '', 'I: ', 'R: ', '');
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
  const today = new Date().toISOString().slice(0, 10);
  await vscode.workspace.fs.writeFile(target, encoder.encode(transcriptTemplate(guide.id, role, participant.trim(), today)));
  const doc = await vscode.workspace.openTextDocument(target);
  const editor = await vscode.window.showTextDocument(doc);
  const turn = doc.lineAt(doc.lineCount - 3);
  // The interview starts with the first question this participant is expected to answer, as the
  // server judges it for the new transcript (its guide, its role): its marker goes on the first turn.
  const first = await firstExpectedQuestion(study, doc);
  if (first && doc.lineAt(turn.lineNumber).text === turn.text) {
    await editor.edit((b) => b.insert(turn.range.end, `@${first} `));
    await doc.save();
  }
  // Leave the cursor at the end of the interviewer's turn, where the words go.
  const end = doc.lineAt(turn.lineNumber).range.end;
  editor.selection = new vscode.Selection(end, end);
  return target;
}

/** The first question a transcript is expected to answer and has no marker for, in guide order; undefined when the server cannot tell. */
async function firstExpectedQuestion(study: StudyClient, doc: vscode.TextDocument): Promise<string | undefined> {
  try {
    const report = await study.coverage({ uri: doc.uri.toString() });
    const row = report.guides.flatMap((g) => g.transcripts).find((t) => t.uri === doc.uri.toString());
    return row?.missing[0];
  } catch {
    return undefined;
  }
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
