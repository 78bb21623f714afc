/**
 * The coverage report in a webview: the server's HTML rendering (`transcriptCoder/coverageHtml`,
 * the same page as `report --format html`, every piece of study text escaped there) under a
 * Content Security Policy that admits only this page's own style and script, by nonce.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { folderFor, type StudyClient } from './study';

export type ExportFormat = 'csv' | 'md';

export const REPORT_TITLE = 'Coverage report';

const TOOLBAR = '<div class="toolbar"><button id="export-csv" type="button">Export CSV…</button>'
  + '<button id="export-md" type="button">Export Markdown…</button></div>';

// The only script on the page: the two buttons post a message; the extension does the saving.
const SCRIPT = `const vscode = acquireVsCodeApi();
for (const [id, format] of [['export-csv', 'csv'], ['export-md', 'md']]) {
  document.getElementById(id).addEventListener('click', () => vscode.postMessage({ command: 'export', format }));
}`;

/** The policy of the page: no resource at all but its own style and script, which carry `nonce`. */
export function reportCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private folder: vscode.WorkspaceFolder | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The HTML last shown (for tests and for checking what the page holds). */
  html = '';
  /** Counts updates, so that a page that arrives after a newer one was asked for is dropped. */
  private generation = 0;

  constructor(
    private readonly study: StudyClient,
    private readonly exportReport: (format: ExportFormat, folder: vscode.WorkspaceFolder | undefined) => Promise<unknown>,
  ) {
    this.disposables.push(study.onDidChange(() => {
      if (this.panel?.visible) void this.update();
    }));
  }

  get current(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Shows the report of `resource`'s folder (the active editor's, else the first). */
  async show(resource?: vscode.Uri): Promise<vscode.WebviewPanel> {
    this.folder = folderFor(resource);
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel('transcriptCoder.coverageReport', this.title(), vscode.ViewColumn.Active, {
        enableScripts: true,
        // The page loads nothing: no local or remote resources at all.
        localResourceRoots: [],
        enableFindWidget: true,
      });
      panel.onDidDispose(() => { this.panel = undefined; }, null, this.disposables);
      panel.onDidChangeViewState((e) => { if (e.webviewPanel.visible) void this.update(); }, null, this.disposables);
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = m as { command?: unknown; format?: unknown };
        if (msg.command === 'export' && (msg.format === 'csv' || msg.format === 'md')) void this.exportReport(msg.format, this.folder);
      }, null, this.disposables);
      this.panel = panel;
    } else {
      this.panel.reveal();
    }
    await this.update();
    return this.panel;
  }

  private title(): string {
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return multi && this.folder ? `${REPORT_TITLE} — ${this.folder.name}` : REPORT_TITLE;
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const gen = ++this.generation;
    const title = this.title();
    // A fresh nonce for every page, so a script from an earlier page can never match.
    const nonce = randomBytes(16).toString('base64');
    const html = await this.study.coverageHtml({
      ...(this.folder ? { folder: this.folder.uri.toString() } : {}),
      title, csp: reportCsp(nonce), nonce, toolbar: TOOLBAR, script: SCRIPT,
    });
    if (this.panel !== panel || gen !== this.generation) return;
    panel.title = title;
    this.html = html;
    panel.webview.html = html;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
