/**
 * Exports (REFI-QDA project and codebook, coverage report as CSV or Markdown, coded segments as
 * CSV, the Analysis page's table as CSV or Markdown) and the REFI-QDA codebook import. The extension only asks where to save, with the editor's
 * own dialogs; the server writes the file (`transcriptCoder.export`, `transcriptCoder.import`), so
 * the bytes are exactly those of the command-line tool's export of the same study. Tests pass the
 * target instead of answering a dialog.
 */
import * as vscode from 'vscode';
import { type ExportKind, type ExportResult, type MatrixTable } from '../../server/src/protocol';
import { folderFor, type StudyClient } from './study';
import type { ExportFormat } from './reportPanel';
import { commandFailure } from './format';

interface ExportSpec {
  /** The file name the save dialog proposes, in the study folder. */
  name: (folder: vscode.WorkspaceFolder) => string;
  filters: Record<string, string[]>;
  title: string;
  /** Whether the editor can show the file (a .qdpx is a zip for other programs). */
  openable: boolean;
}

const EXPORTS: Record<ExportKind, ExportSpec> = {
  'refi': {
    name: (f) => `${f.name}.qdpx`, filters: { 'REFI-QDA project': ['qdpx'] },
    title: 'Export study as a REFI-QDA project', openable: false,
  },
  'qdc': {
    name: () => 'codebook.qdc', filters: { 'REFI-QDA codebook': ['qdc'] },
    title: 'Export codebook as a REFI-QDA codebook', openable: true,
  },
  'coverage-csv': {
    name: () => 'coverage-report.csv', filters: { 'CSV': ['csv'] },
    title: 'Export coverage report', openable: true,
  },
  'coverage-md': {
    name: () => 'coverage-report.md', filters: { 'Markdown': ['md'] },
    title: 'Export coverage report', openable: true,
  },
  'segments-csv': {
    name: () => 'coded-segments.csv', filters: { 'CSV': ['csv'] },
    title: 'Export coded segments', openable: true,
  },
  'matrix-csv': {
    name: () => 'analysis-table.csv', filters: { 'CSV': ['csv'] },
    title: 'Export analysis table', openable: true,
  },
  'matrix-md': {
    name: () => 'analysis-table.md', filters: { 'Markdown': ['md'] },
    title: 'Export analysis table', openable: true,
  },
};

function requireFolder(resource?: vscode.Uri | vscode.WorkspaceFolder): vscode.WorkspaceFolder | undefined {
  const folder = resource && !(resource instanceof vscode.Uri) ? resource : folderFor(resource);
  if (!folder) void vscode.window.showWarningMessage('Open the study folder first (File › Open Folder…).');
  return folder;
}

/** The result's summary and notes as one message. */
function message(result: ExportResult): string {
  return [result.summary, ...result.notes].join(' ');
}

const failure = commandFailure;

/**
 * Has the server write export `kind` of `folder`'s study to `target`, asking where with a save
 * dialog when no target is given. A file the user chose in the dialog may be replaced (the dialog
 * asked); a target passed in is never replaced. Returns the file written, or undefined.
 */
export async function exportStudy(
  study: StudyClient, kind: ExportKind, target?: vscode.Uri, resource?: vscode.Uri | vscode.WorkspaceFolder,
  options: { redact?: boolean; table?: MatrixTable } = {},
): Promise<vscode.Uri | undefined> {
  let redact = options.redact;
  const table = options.table;
  const folder = requireFolder(resource);
  if (!folder) return undefined;
  const spec = EXPORTS[kind];
  const interactive = target === undefined;
  // The codebook and the analysis tables (counts) hold no transcript text, so there is nothing to redact in them.
  if (redact === undefined && interactive && kind !== 'qdc' && kind !== 'matrix-csv' && kind !== 'matrix-md') {
    const pick = await vscode.window.showQuickPick([
      { label: 'Export as it is', description: 'The transcripts\' text exactly as written', redact: false },
      { label: 'Redact names and details', description: 'Names from the names list as their pseudonyms (or [name]); e-mail addresses, telephone numbers and postcodes as [email], [phone], [postcode]', redact: true },
    ], { title: spec.title, placeHolder: 'Export the transcripts as they are, or redacted?' });
    if (!pick) return undefined;
    redact = pick.redact;
  }
  const name = spec.name(folder);
  target ??= await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder.uri, redact ? name.replace(/(\.[a-z]+)$/, '-redacted$1') : name),
    filters: spec.filters, title: spec.title, saveLabel: 'Export',
  });
  if (!target) return undefined;
  let result: ExportResult;
  try {
    result = await study.exportStudy({
      kind, target: target.toString(), folder: folder.uri.toString(), ...(interactive ? { overwrite: true } : {}),
      ...(redact ? { redact: true } : {}), ...(table ? { table } : {}),
    });
  } catch (err) {
    void vscode.window.showErrorMessage(failure('export', err));
    return undefined;
  }
  if (interactive) {
    const choice = spec.openable
      ? await vscode.window.showInformationMessage(message(result), 'Open')
      : await vscode.window.showInformationMessage(message(result));
    if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', target);
  }
  return target;
}

/** The coverage report as CSV (with a byte-order mark, for spreadsheets) or Markdown; asks for the format when not given. */
export async function exportCoverage(study: StudyClient, format?: ExportFormat, target?: vscode.Uri, folder?: vscode.WorkspaceFolder, redact?: boolean): Promise<vscode.Uri | undefined> {
  if (!format) {
    const pick = await vscode.window.showQuickPick([
      { label: 'CSV', description: 'One row per transcript, one column per question: for a spreadsheet', format: 'csv' as const },
      { label: 'Markdown', description: 'Tables per guide and section: for a document or a wiki', format: 'md' as const },
    ], { title: 'Export coverage report', placeHolder: 'Choose a format' });
    if (!pick) return undefined;
    format = pick.format;
  }
  return exportStudy(study, format === 'csv' ? 'coverage-csv' : 'coverage-md', target, folder, { redact });
}

/**
 * An analysis table as CSV (with a byte-order mark, for spreadsheets: `matrix --format csv --bom`) or
 * Markdown (`matrix --format md`); asks for the format when not given.
 */
export async function exportTable(study: StudyClient, table: MatrixTable, format?: ExportFormat, target?: vscode.Uri, folder?: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  if (!format) {
    const pick = await vscode.window.showQuickPick([
      { label: 'CSV', description: 'Two columns per column of the table (passages, transcripts): for a spreadsheet', format: 'csv' as const },
      { label: 'Markdown', description: 'The table as shown: for a document or a wiki', format: 'md' as const },
    ], { title: 'Export analysis table', placeHolder: 'Choose a format' });
    if (!pick) return undefined;
    format = pick.format;
  }
  return exportStudy(study, format === 'csv' ? 'matrix-csv' : 'matrix-md', target, folder, { table });
}

/** A file name made of a source file's name: lower case, words joined by `-`. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
}

/**
 * A REFI-QDA codebook (`.qdc`, or the codebook of a `.qdpx`/`.qde` project) as a new
 * `*.codebook.yaml`, written by the server as `import qdc` writes it. Asks for the source and the
 * target when not given. Returns the codebook written, or undefined.
 */
export async function importCodebook(study: StudyClient, source?: vscode.Uri, target?: vscode.Uri, resource?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = requireFolder(resource);
  if (!folder) return undefined;
  const interactive = target === undefined;
  source ??= (await vscode.window.showOpenDialog({
    canSelectMany: false, title: 'Import a REFI-QDA codebook', openLabel: 'Import',
    filters: { 'REFI-QDA codebook or project': ['qdc', 'qdpx', 'qde'] },
  }))?.[0];
  if (!source) return undefined;
  const name = source.path.slice(source.path.lastIndexOf('/') + 1);
  target ??= await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder.uri, `${slug(name.replace(/\.(qdc|qdpx|qde)$/i, '')) || 'imported'}.codebook.yaml`),
    filters: { 'Codebook': ['yaml'] }, title: 'Save the imported codebook', saveLabel: 'Save',
  });
  if (!target) return undefined;
  let result: ExportResult;
  try {
    result = await study.importCodebook({ kind: 'qdc', source: source.toString(), target: target.toString(), ...(interactive ? { overwrite: true } : {}) });
  } catch (err) {
    void vscode.window.showErrorMessage(failure(`import ${name}`, err));
    return undefined;
  }
  if (interactive) {
    await vscode.window.showTextDocument(target);
    void vscode.window.showInformationMessage(message(result));
  }
  return target;
}
