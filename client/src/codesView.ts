/**
 * The Codes view: the codebook tree with counts (`family — 34 in 9`, parents
 * showing totals), each code expanding to the transcripts that use it and those
 * to their segments. Either the whole study or the active file.
 */
import * as vscode from 'vscode';
import type { CodeCountRow, CodeDefinition, SegmentRow } from '../../server/src/protocol';
import { escapeMarkdown, plural, truncate } from './format';
import { folderFor, isTranscript, toRange, type StudyClient } from './study';

export type CodesScope = 'study' | 'file';

export type CodesNode =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder }
  | { kind: 'code'; row: CodeCountRow; folder: vscode.WorkspaceFolder | undefined; children: CodeCountRow[] }
  | { kind: 'unknownGroup'; rows: CodeCountRow[]; folder: vscode.WorkspaceFolder | undefined }
  | { kind: 'transcript'; code: string; uri: string; participant: string; file: string; segments: SegmentRow[] }
  | { kind: 'segment'; row: SegmentRow }
  | { kind: 'message'; text: string };

export const NOT_IN_CODEBOOK = 'Not in codebook';

/** The figures shown beside a code: totals, so a parent counts its sub-codes. */
export function countsLabel(row: CodeCountRow): string {
  return `— ${row.totalSegments} in ${row.totalTranscripts}`;
}

export class CodesProvider implements vscode.TreeDataProvider<CodesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CodesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private scopeValue: CodesScope = 'study';
  /** Rows per folder key for the current refresh; children are built from them, not fetched again. */
  private rows = new Map<string, Promise<CodeCountRow[]>>();
  private definitions = new Map<string, Promise<Map<string, CodeDefinition>>>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The transcript whose codes the view shows in 'file' scope. */
  private fileUri: vscode.Uri | undefined;

  constructor(private readonly study: StudyClient) {
    this.disposables.push(
      study.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.scopeValue !== 'file' || !isTranscript(e?.document)) return;
        if (e.document.uri.toString() !== this.fileUri?.toString()) this.refresh();
      }),
    );
    void this.setContext();
  }

  get scope(): CodesScope {
    return this.scopeValue;
  }

  setScope(scope: CodesScope): void {
    this.scopeValue = scope;
    void this.setContext();
    this.refresh();
  }

  private setContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'transcriptCoder.codesScope', this.scopeValue);
  }

  refresh(): void {
    this.rows.clear();
    this.definitions.clear();
    this.changed.fire(undefined);
  }

  private folderKey(folder: vscode.WorkspaceFolder | undefined): string {
    return folder?.uri.toString() ?? '';
  }

  private countsFor(folder: vscode.WorkspaceFolder | undefined): Promise<CodeCountRow[]> {
    const key = this.folderKey(folder);
    let p = this.rows.get(key);
    if (!p) {
      p = this.scopeValue === 'file' && this.fileUri
        ? this.study.codeCounts({ uri: this.fileUri.toString() })
        : this.study.codeCounts(folder ? { folder: folder.uri.toString() } : {});
      this.rows.set(key, p);
    }
    return p;
  }

  /**
   * The codebook's definitions by code path, for tooltips, colours and "Open Code in Codebook";
   * asked for once per refresh. A failed request (the server restarting) gives none, so the tree
   * still shows its counts.
   */
  definitionsFor(folder: vscode.WorkspaceFolder | undefined): Promise<Map<string, CodeDefinition>> {
    const key = this.folderKey(folder);
    let p = this.definitions.get(key);
    if (!p) {
      p = this.study.codeDefinitions(folder ? { folder: key } : {})
        .then((defs) => new Map(defs.map((d) => [d.code, d])), () => new Map<string, CodeDefinition>());
      this.definitions.set(key, p);
    }
    return p;
  }

  /** Opens the codebook at a code's ID; false when no codebook defines it (any more). */
  async revealDefinition(code: string, folder: vscode.WorkspaceFolder | undefined): Promise<boolean> {
    const def = (await this.definitionsFor(folder)).get(code)
      // The tree may be older than the codebook: ask again before saying it is gone.
      ?? (await this.study.codeDefinitions(folder ? { folder: this.folderKey(folder) } : {})).find((d) => d.code === code);
    if (!def) return false;
    await vscode.window.showTextDocument(vscode.Uri.parse(def.location.uri), { selection: toRange(def.location.range) });
    return true;
  }

  async getChildren(node?: CodesNode): Promise<CodesNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'folder': return this.codesOf(node.folder);
      case 'code': return this.codeChildren(node);
      case 'unknownGroup': return node.rows.map((row) => ({ kind: 'code', row, folder: node.folder, children: [] }));
      case 'transcript': return node.segments.map((row) => ({ kind: 'segment', row }));
      default: return [];
    }
  }

  private async roots(): Promise<CodesNode[]> {
    if (this.scopeValue === 'file') {
      const doc = vscode.window.activeTextEditor?.document;
      if (isTranscript(doc)) this.fileUri = doc.uri;
      if (!this.fileUri) return [{ kind: 'message', text: 'Open a transcript to see its codes.' }];
      const nodes = await this.codesOf(folderFor(this.fileUri));
      return nodes.length ? nodes : [{ kind: 'message', text: 'This transcript has no codes yet.' }];
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length > 1) return folders.map((folder) => ({ kind: 'folder', folder }));
    return this.codesOf(folders[0]);
  }

  private async codesOf(folder: vscode.WorkspaceFolder | undefined): Promise<CodesNode[]> {
    const all = await this.countsFor(folder);
    // In a single transcript the unused codes of the codebook are noise.
    const rows = this.scopeValue === 'file' ? all.filter((r) => r.totalSegments > 0) : all;
    const known = rows.filter((r) => r.known);
    const unknown = rows.filter((r) => !r.known);
    const nodes: CodesNode[] = known.filter((r) => r.parent === null)
      .map((row) => ({ kind: 'code', row, folder, children: known.filter((c) => c.parent === row.code) }));
    if (unknown.length) nodes.push({ kind: 'unknownGroup', rows: unknown, folder });
    return nodes;
  }

  private async codeChildren(node: Extract<CodesNode, { kind: 'code' }>): Promise<CodesNode[]> {
    const all = await this.countsFor(node.folder);
    const rows = this.scopeValue === 'file' ? all.filter((r) => r.totalSegments > 0) : all;
    const subCodes: CodesNode[] = rows.filter((r) => r.known && r.parent === node.row.code)
      .map((row) => ({ kind: 'code', row, folder: node.folder, children: rows.filter((c) => c.known && c.parent === row.code) }));
    if (node.row.segments === 0) return subCodes;
    const segments = await this.study.segments(this.scopeValue === 'file' && this.fileUri
      ? { code: node.row.code, uri: this.fileUri.toString() }
      : { code: node.row.code, ...(node.folder ? { folder: node.folder.uri.toString() } : {}) });
    const byUri = new Map<string, SegmentRow[]>();
    for (const s of segments) {
      const list = byUri.get(s.uri);
      if (list) list.push(s); else byUri.set(s.uri, [s]);
    }
    const transcripts: CodesNode[] = [...byUri.entries()].map(([uri, segs]) => ({
      kind: 'transcript', code: node.row.code, uri, participant: segs[0].participant, file: segs[0].file, segments: segs,
    }));
    return [...subCodes, ...transcripts];
  }

  async getTreeItem(node: CodesNode): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${node.folder.uri}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        return item;
      }
      case 'code': return this.codeItem(node);
      case 'unknownGroup': {
        const item = new vscode.TreeItem(NOT_IN_CODEBOOK, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `unknown:${this.scopeValue}:${this.folderKey(node.folder)}`;
        const segs = node.rows.reduce((n, r) => n + r.segments, 0);
        item.description = `${plural(node.rows.length, 'code')}, ${plural(segs, 'segment')}`;
        item.tooltip = 'Codes used in transcripts but defined in no codebook. The quick fix "Add code to codebook" adds one.';
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.contextValue = 'unknownGroup';
        return item;
      }
      case 'transcript': {
        const item = new vscode.TreeItem(node.participant, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `transcript:${this.scopeValue}:${node.code}|${node.uri}`;
        item.description = `${plural(node.segments.length, 'segment')} · ${node.file}`;
        item.resourceUri = vscode.Uri.parse(node.uri);
        item.iconPath = new vscode.ThemeIcon('file-text');
        item.tooltip = node.file;
        item.contextValue = 'transcript';
        return item;
      }
      case 'segment': {
        const r = node.row;
        const item = new vscode.TreeItem(truncate(r.excerpt, 90) || '(empty)', vscode.TreeItemCollapsibleState.None);
        item.id = `segment:${this.scopeValue}:${r.code}|${r.uri}|${r.range.start.line}:${r.range.start.character}`;
        const lines = r.range.start.line === r.range.end.line ? `line ${r.range.start.line + 1}` : `lines ${r.range.start.line + 1}–${r.range.end.line + 1}`;
        item.description = r.question ? `@${r.question} · ${lines}` : lines;
        item.tooltip = new vscode.MarkdownString().appendText(r.excerpt).appendMarkdown(`\n\n— ${r.participant}, ${lines}`);
        item.iconPath = new vscode.ThemeIcon('quote');
        item.command = { command: 'vscode.open', title: 'Show segment', arguments: [vscode.Uri.parse(r.uri), { selection: toRange(r.range), preview: true }] };
        item.contextValue = 'segment';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  private async codeItem(node: Extract<CodesNode, { kind: 'code' }>): Promise<vscode.TreeItem> {
    const r = node.row;
    const def = r.known ? (await this.definitionsFor(node.folder)).get(r.code) : undefined;
    // The colour the editor tints the code's passages with: its own, else its nearest coloured ancestor's.
    const color = def?.color ?? undefined;
    const hasChildren = node.children.length > 0 || r.segments > 0;
    const label = r.known ? r.code.slice(r.code.lastIndexOf('/') + 1) : r.code;
    const item = new vscode.TreeItem(label, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `code:${this.scopeValue}:${this.folderKey(node.folder)}:${r.known ? '' : '?'}${r.code}`;
    item.description = `${countsLabel(r)}${r.deprecated ? ' (deprecated)' : ''}`;
    item.contextValue = r.known ? 'code' : 'unknownCode';
    item.iconPath = r.known
      ? color ? colorIcon(color) : new vscode.ThemeIcon('tag')
      : new vscode.ThemeIcon('question');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(r.label)}** \`#${r.code}\``);
    if (r.deprecated) md.appendMarkdown(' — *deprecated*');
    if (!r.known) md.appendMarkdown('\n\nNot in any codebook.');
    if (def) {
      const text = definitionMarkdown(def);
      if (text) md.appendMarkdown(`\n\n${text}`);
    }
    const own = r.segments === r.totalSegments ? '' : ` (${plural(r.segments, 'segment')} coded with this code itself)`;
    md.appendMarkdown(`\n\n${plural(r.totalSegments, 'segment')} in ${plural(r.totalTranscripts, 'transcript')}${own}`);
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A code's definition fields as Markdown, study text escaped. */
export function definitionMarkdown(def: CodeDefinition): string {
  const parts: string[] = [];
  if (def.description) parts.push(escapeMarkdown(def.description));
  if (def.whenToUse) parts.push(`**When to use:** ${escapeMarkdown(def.whenToUse)}`);
  if (def.whenNotToUse) parts.push(`**When not to use:** ${escapeMarkdown(def.whenNotToUse)}`);
  if (def.example) parts.push(`**Example:** _${escapeMarkdown(def.example)}_`);
  if (def.deprecated && def.replacedBy) parts.push(`Replaced by \`#${def.replacedBy}\`.`);
  return parts.join('\n\n');
}

/** A dot in the code's colour; the colour is validated by the codebook schema (#RGB / #RRGGBB). */
function colorIcon(color: string): vscode.Uri | vscode.ThemeIcon {
  if (!/^#(?:[0-9a-fA-F]{3}){1,2}$/.test(color)) return new vscode.ThemeIcon('tag');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="4.5" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}
