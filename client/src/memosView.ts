/**
 * The Memos view: every memo of the study (`transcriptCoder/memos`) under its transcript, with the
 * question it stands under and the codes of its paragraph; a click opens the memo in its transcript.
 */
import * as vscode from 'vscode';
import type { MemoRow } from '../../server/src/protocol';
import { escapeMarkdown, plural, truncate } from './format';
import { toRange, type StudyClient } from './study';

export type MemoNode =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder }
  | { kind: 'transcript'; file: string; participant: string; memos: MemoRow[] }
  | { kind: 'memo'; memo: MemoRow }
  | { kind: 'message'; text: string };

export class MemosProvider implements vscode.TreeDataProvider<MemoNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private memos = new Map<string, Promise<MemoRow[]>>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly study: StudyClient) {
    this.disposables.push(study.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.memos.clear();
    this.changed.fire(undefined);
  }

  /** The memos of a folder's study (the first folder's when none is given), as the server lists them. */
  memosOf(folder: vscode.WorkspaceFolder | undefined): Promise<MemoRow[]> {
    const key = folder?.uri.toString() ?? '';
    let p = this.memos.get(key);
    if (!p) {
      p = this.study.memos(folder ? { folder: key } : {});
      this.memos.set(key, p);
    }
    return p;
  }

  async getChildren(node?: MemoNode): Promise<MemoNode[]> {
    if (!node) {
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.length > 1) return folders.map((folder) => ({ kind: 'folder', folder }));
      return this.transcriptsOf(folders[0]);
    }
    if (node.kind === 'folder') return this.transcriptsOf(node.folder);
    if (node.kind === 'transcript') return node.memos.map((memo) => ({ kind: 'memo', memo }));
    return [];
  }

  private async transcriptsOf(folder: vscode.WorkspaceFolder | undefined): Promise<MemoNode[]> {
    const memos = await this.memosOf(folder);
    if (memos.length === 0) return [{ kind: 'message', text: 'No memos yet. Write one in a transcript between %% and %%.' }];
    const byFile = new Map<string, MemoRow[]>();
    for (const m of memos) byFile.set(m.file, [...byFile.get(m.file) ?? [], m]);
    return [...byFile].map(([file, rows]) => ({ kind: 'transcript', file, participant: rows[0].participant, memos: rows }));
  }

  getTreeItem(node: MemoNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      case 'transcript': {
        const item = new vscode.TreeItem(node.participant || node.file, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.file} — ${plural(node.memos.length, 'memo')}`;
        item.iconPath = new vscode.ThemeIcon('file-text');
        item.resourceUri = vscode.Uri.parse(node.memos[0].uri);
        return item;
      }
      case 'memo': {
        const m = node.memo;
        const item = new vscode.TreeItem(truncate(m.text, 80), vscode.TreeItemCollapsibleState.None);
        const where = [m.questions.length ? `@${m.questions.join(' @')}` : '', ...m.codes.map((c) => `#${c}`)].filter(Boolean).join(' ');
        item.description = `line ${m.range.start.line + 1}${where ? ` · ${where}` : ''}`;
        const tooltip = new vscode.MarkdownString();
        tooltip.appendMarkdown(`${escapeMarkdown(m.text)}\n\n`);
        tooltip.appendMarkdown(`*${escapeMarkdown(m.participant)}, ${escapeMarkdown(m.file)}, line ${m.range.start.line + 1}*`);
        if (m.questions.length) tooltip.appendMarkdown(`  \nUnder the question ${m.questions.map((q) => `\`${q.replace(/`/g, '')}\``).join(', ')}`);
        if (m.codes.length) tooltip.appendMarkdown(`  \nCodes of its paragraph: ${m.codes.map((c) => `\`${c.replace(/`/g, '')}\``).join(', ')}`);
        item.tooltip = tooltip;
        item.iconPath = new vscode.ThemeIcon('note');
        item.command = { command: 'transcriptCoder.memos.open', title: 'Open Memo', arguments: [m] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  /** Opens a memo's transcript with the memo selected. */
  static async open(memo: MemoRow): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(vscode.Uri.parse(memo.uri), { selection: toRange(memo.range), preview: true });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
