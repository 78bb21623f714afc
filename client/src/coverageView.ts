/**
 * The Coverage view: each transcript with `asked/expected (percent)`, expanding
 * to the expected questions it has no marker for; a question opens the guide at it.
 */
import * as vscode from 'vscode';
import type { CoverageGuide, CoverageReport, CoverageTranscript } from '../../server/src/protocol';
import { coverageLabel, truncate } from './format';
import { toRange, type StudyClient } from './study';

export type CoverageNode =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder }
  | { kind: 'guide'; guide: CoverageGuide }
  | { kind: 'transcript'; guide: CoverageGuide; transcript: CoverageTranscript }
  | { kind: 'question'; guide: CoverageGuide; transcript: CoverageTranscript; id: string; text: string }
  | { kind: 'message'; text: string; icon: 'check' | 'info' };

export class CoverageProvider implements vscode.TreeDataProvider<CoverageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CoverageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private reports = new Map<string, Promise<CoverageReport>>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly study: StudyClient) {
    this.disposables.push(study.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.reports.clear();
    this.changed.fire(undefined);
  }

  private reportFor(folder: vscode.WorkspaceFolder | undefined): Promise<CoverageReport> {
    const key = folder?.uri.toString() ?? '';
    let p = this.reports.get(key);
    if (!p) {
      p = this.study.coverage(folder ? { folder: key } : {});
      this.reports.set(key, p);
    }
    return p;
  }

  /** Opens the guide at a question's ID; false when the guide no longer defines it. */
  async revealQuestion(guide: string, id: string): Promise<boolean> {
    const loc = await this.study.questionLocation({ guide, id });
    if (!loc) return false;
    await vscode.window.showTextDocument(vscode.Uri.parse(loc.uri), { selection: toRange(loc.range), preview: true });
    return true;
  }

  async getChildren(node?: CoverageNode): Promise<CoverageNode[]> {
    if (!node) {
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (folders.length > 1) return folders.map((folder) => ({ kind: 'folder', folder }));
      return this.guidesOf(folders[0]);
    }
    switch (node.kind) {
      case 'folder': return this.guidesOf(node.folder);
      case 'guide': return transcriptsOf(node.guide);
      case 'transcript': {
        const { guide, transcript } = node;
        if (transcript.missing.length === 0) return [{ kind: 'message', text: 'Every expected question was asked.', icon: 'check' }];
        const text = new Map(guide.sections.flatMap((s) => s.questions.map((q) => [q.id, q.text] as const)));
        return transcript.missing.map((id) => ({ kind: 'question', guide, transcript, id, text: text.get(id) ?? '' }));
      }
      default: return [];
    }
  }

  private async guidesOf(folder: vscode.WorkspaceFolder | undefined): Promise<CoverageNode[]> {
    const report = await this.reportFor(folder);
    const guides = report.guides;
    // With one guide the guide level adds nothing; it says which guide in the tooltips.
    if (guides.length === 1) return transcriptsOf(guides[0]);
    return guides.map((guide) => ({ kind: 'guide', guide }));
  }

  getTreeItem(node: CoverageNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        return item;
      }
      case 'guide': {
        const g = node.guide;
        const item = new vscode.TreeItem(g.title || g.id, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `guide:${g.uri}`;
        item.description = coverageLabel(g);
        item.tooltip = `${g.id} · ${g.file}`;
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.contextValue = 'guide';
        return item;
      }
      case 'transcript': {
        const t = node.transcript;
        const item = new vscode.TreeItem(t.participant, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `coverage:${node.guide.uri}|${t.uri}`;
        item.description = coverageLabel(t);
        item.resourceUri = vscode.Uri.parse(t.uri);
        const complete = t.missing.length === 0;
        item.iconPath = complete
          ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
          : new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = new vscode.MarkdownString().appendText(
          `${t.participant}${t.role ? ` (${t.role})` : ''} · ${t.file}\n${t.asked} of ${t.expected} expected questions of "${node.guide.title || node.guide.id}" asked`
          + (complete ? '.' : `; not asked: ${t.missing.join(', ')}.`),
        );
        item.command = { command: 'vscode.open', title: 'Open transcript', arguments: [vscode.Uri.parse(t.uri)] };
        item.contextValue = 'transcript';
        return item;
      }
      case 'question': {
        const item = new vscode.TreeItem(node.id, vscode.TreeItemCollapsibleState.None);
        item.id = `missing:${node.guide.uri}|${node.transcript.uri}|${node.id}`;
        item.description = truncate(node.text, 80);
        item.tooltip = new vscode.MarkdownString().appendText(`Not asked: ${node.text}`);
        item.iconPath = new vscode.ThemeIcon('question');
        item.command = { command: 'transcriptCoder.coverage.openQuestion', title: 'Open question in guide', arguments: [node] };
        item.contextValue = 'missingQuestion';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function transcriptsOf(guide: CoverageGuide): CoverageNode[] {
  if (guide.transcripts.length === 0) return [{ kind: 'message', text: `No transcript follows "${guide.title || guide.id}" yet.`, icon: 'info' }];
  return guide.transcripts.map((transcript) => ({ kind: 'transcript', guide, transcript }));
}
