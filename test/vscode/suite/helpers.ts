/**
 * Helpers for the extension-host tests. Every wait is on a real signal (an
 * event of the editor or of the extension); the timeout only turns a hang
 * into a failure with a message.
 */
import * as vscode from 'vscode';
import type { TranscriptCoderApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'transcript-coder.transcript-coder';

export async function api(): Promise<TranscriptCoderApi> {
  const ext = vscode.extensions.getExtension<TranscriptCoderApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the tests need the fixture study open as a folder');
  return f;
}

export function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder().uri, name);
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(doc);
}

/** Resolves with the first value of `event` that satisfies `test`, or rejects after `ms` saying what was awaited. */
export function waitFor<T>(event: vscode.Event<T>, test: (value: T) => boolean, what: string, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = event((value) => {
      if (!test(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** The diagnostics of `uri` once `test` holds for them (now or after a change). */
export async function diagnosticsOf(uri: vscode.Uri, test: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (test(now)) return now;
  const changed = vscode.languages.onDidChangeDiagnostics;
  await waitFor(changed, (e) => e.uris.some((u) => u.toString() === uri.toString()) && test(vscode.languages.getDiagnostics(uri)), what);
  return vscode.languages.getDiagnostics(uri);
}

/** The position of the `nth` occurrence of `needle` in the document, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

/** The text a hover shows, Markdown joined. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

export interface TreeRow {
  label: string;
  description: string;
  item: vscode.TreeItem;
}

/** The tree items a provider gives for `element`'s children. */
export async function rows<T>(provider: vscode.TreeDataProvider<T>, element?: T): Promise<{ node: T; row: TreeRow }[]> {
  const children = (await provider.getChildren(element)) ?? [];
  const out: { node: T; row: TreeRow }[] = [];
  for (const node of children) {
    const item = await provider.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    out.push({ node, row: { label, description: typeof item.description === 'string' ? item.description : '', item } });
  }
  return out;
}

export async function child<T>(provider: vscode.TreeDataProvider<T>, element: T | undefined, label: string): Promise<{ node: T; row: TreeRow }> {
  const all = await rows(provider, element);
  const found = all.find((r) => r.row.label === label);
  if (!found) throw new Error(`no tree item '${label}' among: ${all.map((r) => r.row.label).join(', ')}`);
  return found;
}

/** Reverts the active editor to the file on disk. */
export async function revert(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** Resolves once `test` holds for the tree, checking now and after each refresh of `provider`. */
export async function treeUntil<T>(provider: vscode.TreeDataProvider<T>, test: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  if (await test()) return;
  const event = provider.onDidChangeTreeData;
  if (!event) throw new Error('the provider has no change event');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = event(async () => {
      if (!(await test())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/**
 * Closes every editor of `uris`, changes undone: the server keeps an open document's text even once its
 * file is deleted (what the editor shows is the study), so a test that deletes files closes them first.
 */
export async function closeEditorsOf(uris: vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.map((u) => u.toString()));
  for (const doc of vscode.workspace.textDocuments) {
    if (!wanted.has(doc.uri.toString()) || !doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && wanted.has(t.input.uri.toString()));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
