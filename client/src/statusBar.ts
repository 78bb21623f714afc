/** The status-bar item on transcripts: `Guide 14/18`; clicking it opens the coverage report. */
import * as vscode from 'vscode';
import { formatPercent } from './format';
import { isTranscript, type StudyClient } from './study';

export class CoverageStatus implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('transcriptCoder.coverage', vscode.StatusBarAlignment.Left, 50);
  private readonly shown = new vscode.EventEmitter<void>();
  /** Fires after the item changed to show the active editor's figures (or was hidden). */
  readonly onDidUpdate = this.shown.event;
  private readonly disposables: vscode.Disposable[] = [this.item, this.shown];
  /** Counts requests, so an answer that arrives after a newer request is dropped. */
  private generation = 0;

  constructor(private readonly study: StudyClient) {
    this.item.name = 'Transcript Coder: guide coverage';
    this.item.command = { command: 'transcriptCoder.showCoverageReport', title: 'Show coverage report' };
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      study.onDidChange(() => this.update()),
    );
    this.update();
  }

  update(): void {
    void this.refresh().then((changed) => { if (changed) this.shown.fire(); });
  }

  /** Shows the active transcript's figures; false when a newer update superseded this one. */
  private async refresh(): Promise<boolean> {
    const gen = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (!isTranscript(doc)) {
      this.item.hide();
      return true;
    }
    let text = 'Guide —';
    let tooltip = 'The guide of this transcript was not found, so its coverage is unknown. See the problem on the first line.';
    try {
      const report = await this.study.coverage({ uri: doc.uri.toString() });
      for (const g of report.guides) {
        const t = g.transcripts.find((x) => x.uri === doc.uri.toString()) ?? (g.transcripts.length === 1 ? g.transcripts[0] : undefined);
        if (!t) continue;
        text = `Guide ${t.asked}/${t.expected}`;
        tooltip = `${t.asked} of ${t.expected} expected questions of "${g.title || g.id}" asked (${formatPercent(t.percent)})`
          + `${t.missing.length ? `; not asked: ${t.missing.join(', ')}` : ''}. Click for the coverage report.`;
        break;
      }
    } catch {
      // The server is starting or restarting; the next indexChanged brings the figures.
      return false;
    }
    if (gen !== this.generation) return false;
    this.item.text = `$(checklist) ${text}`;
    this.item.tooltip = tooltip;
    this.item.show();
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
