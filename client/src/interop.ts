/**
 * REFI-QDA exchange with other analysis programs (NVivo, ATLAS.ti, MAXQDA,
 * QualCoder), through the same core code as `transcript-coder export`/`import`.
 * The study is read here, from disk and from unsaved editors, because the
 * export needs the transcripts' full text, which the server does not keep.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Study } from '../../server/src/core/study';
import { exportCodebook, exportProject, zipProject } from '../../server/src/core/refi/exportProject';
import { codebookYaml, readRefiCodebook } from '../../server/src/core/refi/importCodebook';
import { findStudyFiles, readTextFile } from '../../server/src/host/nodeHost';
import { folderFor } from './study';

const ORIGIN = 'Transcript Coder (VS Code)';

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The folder's study as the CLI reads it, with open editors' unsaved text preferred. */
export function loadFolderStudy(folder: vscode.WorkspaceFolder): { study: Study; texts: Map<string, string> } {
  const root = folder.uri.fsPath;
  const exclude = vscode.workspace.getConfiguration('transcriptCoder', folder.uri).get<string[]>('exclude', []);
  const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
  const texts = new Map<string, string>();
  const files: { uri: string; path: string; text: string }[] = [];
  for (const rel of findStudyFiles(root, exclude)) {
    const abs = path.join(root, rel);
    const read = open.get(abs)?.getText() ?? readTextFile(abs);
    if (typeof read !== 'string' && 'error' in read) continue; // An unreadable file is left out, as the CLI does.
    const text = typeof read === 'string' ? read : read.text;
    texts.set(rel, text);
    files.push({ uri: rel, path: rel, text });
  }
  return { study: Study.fromFiles(files), texts };
}

function requireFolder(resource?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  const folder = folderFor(resource);
  if (!folder) void vscode.window.showWarningMessage('Open the study folder first (File › Open Folder…).');
  return folder;
}

async function done(message: string, target: vscode.Uri, interactive: boolean, openable: boolean): Promise<void> {
  if (!interactive) return;
  const choice = openable ? await vscode.window.showInformationMessage(message, 'Open') : await vscode.window.showInformationMessage(message);
  if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', target);
}

/** The whole coded study as a REFI-QDA project (`.qdpx`). */
export async function exportRefi(target?: vscode.Uri, resource?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = requireFolder(resource);
  if (!folder) return undefined;
  const interactive = target === undefined;
  target ??= await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder.uri, `${folder.name}.qdpx`),
    filters: { 'REFI-QDA project': ['qdpx'] }, title: 'Export study as a REFI-QDA project', saveLabel: 'Export',
  });
  if (!target) return undefined;
  const { study, texts } = loadFolderStudy(folder);
  if (study.size === 0) {
    void vscode.window.showWarningMessage('This folder has no study files (*.guide.yaml, *.codebook.yaml, *.transcript): nothing to export.');
    return undefined;
  }
  const project = exportProject(study, (uri) => texts.get(uri), { name: folder.name, origin: ORIGIN });
  await vscode.workspace.fs.writeFile(target, zipProject(project));
  const c = project.counts;
  const notes = project.notes.length ? ` ${project.notes.join(' ')}` : '';
  await done(`Exported ${plural(c.transcripts, 'transcript')}, ${plural(c.codes, 'code')} and ${plural(c.codings, 'coding')} to ${path.basename(target.fsPath)}. Import it in your analysis program as a REFI-QDA project.${notes}`, target, interactive, false);
  return target;
}

/** The codebook alone as a REFI-QDA codebook (`.qdc`). */
export async function exportRefiCodebook(target?: vscode.Uri, resource?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = requireFolder(resource);
  if (!folder) return undefined;
  const { study } = loadFolderStudy(folder);
  const xml = exportCodebook(study, { origin: ORIGIN });
  if (xml === undefined) {
    void vscode.window.showWarningMessage('This study defines no codes (no *.codebook.yaml with codes), so there is no codebook to export.');
    return undefined;
  }
  const interactive = target === undefined;
  target ??= await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder.uri, 'codebook.qdc'),
    filters: { 'REFI-QDA codebook': ['qdc'] }, title: 'Export codebook as a REFI-QDA codebook', saveLabel: 'Export',
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(xml));
  await done(`Exported ${plural(study.codeIndex().byPath.size, 'code')} to ${path.basename(target.fsPath)}.`, target, interactive, true);
  return target;
}

/** A REFI-QDA codebook (`.qdc`, or the codebook of a `.qdpx`/`.qde` project) as a new `*.codebook.yaml`. */
export async function importRefiCodebook(source?: vscode.Uri, target?: vscode.Uri, resource?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = requireFolder(resource);
  if (!folder) return undefined;
  const interactive = target === undefined;
  source ??= (await vscode.window.showOpenDialog({
    canSelectMany: false, title: 'Import a REFI-QDA codebook', openLabel: 'Import',
    filters: { 'REFI-QDA codebook or project': ['qdc', 'qdpx', 'qde'] },
  }))?.[0];
  if (!source) return undefined;
  const name = path.basename(source.fsPath);
  const result = readRefiCodebook(await vscode.workspace.fs.readFile(source), name);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Could not import ${name}: ${result.error}`);
    return undefined;
  }
  const base = name.replace(/\.(qdc|qdpx|qde)$/i, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'imported';
  target ??= await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder.uri, `${base}.codebook.yaml`),
    filters: { 'Codebook': ['yaml'] }, title: 'Save the imported codebook', saveLabel: 'Save',
  });
  if (!target) return undefined;
  const { codebook } = result;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(codebookYaml(codebook, name)));
  if (interactive) {
    await vscode.window.showTextDocument(target);
    const notes = codebook.notes.length ? ` ${codebook.notes.join(' ')}` : '';
    const warn = target.path.endsWith('.codebook.yaml') ? '' : ' Its name does not end in .codebook.yaml, so it will not be read as a codebook until renamed.';
    void vscode.window.showInformationMessage(`Imported ${plural(codebook.count, 'code')} from ${name}.${warn}${notes}`);
  }
  return target;
}
