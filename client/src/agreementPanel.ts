/**
 * Compare Coders (SPEC §11): pick the other coder's copy of the study (another folder, or a git branch of
 * the workspace's repository, listed by the server), pick the unit, and show the server's comparison
 * (`transcriptCoder/agreement`, the JSON of `agree`) in a webview: per-code figures shaded by kappa, the
 * overall figures, what was left out, and the disagreements. Clicking a disagreement opens both copies side
 * by side at that passage: coder A's file as it is, coder B's copy (in a folder or a git branch) read through
 * the server (`transcriptCoder/revisionText`) and shown read-only under the `transcript-coder-rev:` scheme. The page escapes every piece of study text,
 * loads nothing, and runs only its own script, by nonce.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { AgreementDisagreement, AgreementFigures, AgreementParams, AgreementReport } from '../../server/src/protocol';
import { escapeHtml, plural } from './format';
import { folderFor, toRange, type StudyClient } from './study';

export const AGREEMENT_TITLE = 'Agreement between coders';
export const REVISION_SCHEME = 'transcript-coder-rev';

export type AgreementUnit = 'character' | 'paragraph' | 'transcript';
const UNITS: { unit: AgreementUnit; label: string; detail: string }[] = [
  { unit: 'character', label: 'Characters', detail: 'Every character of the interview text (as NVivo compares): the finest measure, for passages coded freely.' },
  { unit: 'paragraph', label: 'Paragraphs', detail: 'A code applies to a paragraph when a coded passage touches it: when the team codes whole answers.' },
  { unit: 'transcript', label: 'Transcripts', detail: 'A code applies to an interview when it is used anywhere in it (MAXQDA\'s "code existence").' },
];

/** The other coder's copy: a folder on disk, or the workspace folder as a git revision has it. */
export type OtherCopy = { kind: 'folder'; uri: vscode.Uri } | { kind: 'revision'; revision: string };

/** What `transcriptCoder.compareCoders` may be given, so that scripts and tests can skip the pickers. */
export interface CompareArgs {
  /** The first coder's copy: a workspace folder (default: the active editor's, else the first). */
  folder?: vscode.Uri;
  /** The second coder's copy as a folder… */
  other?: vscode.Uri;
  /** …or as a git revision of the first copy's repository. */
  revision?: string;
  unit?: AgreementUnit;
}

interface Comparison {
  folder: vscode.Uri;
  other: OtherCopy;
  unit: AgreementUnit;
}

const percent = (p: number | null): string => (p === null ? '—' : `${p.toFixed(1)}%`);
const stat = (k: number | null): string => (k === null ? '—' : k.toFixed(3));

/** Landis and Koch's bands of kappa, for the shading. */
function band(k: number | null): string {
  if (k === null) return 'none';
  if (k > 0.8) return 'high';
  if (k > 0.6) return 'good';
  if (k > 0.4) return 'fair';
  return 'low';
}


/**
 * The other coder's copy of a file, as a read-only document: `transcript-coder-rev:/REVISION/PATH?QUERY`
 * (`/copy/PATH` for a folder on disk), the path ending in the file's own name so that VS Code gives it the
 * transcript language (and its colours). Read-only, so that the copy being compared with is not changed by
 * mistake, and outside every study, so that the server does not check it as a study of its own.
 */
export function revisionUri(folder: vscode.Uri, revision: string | undefined, file: string): vscode.Uri {
  const query = JSON.stringify(revision === undefined ? { folder: folder.toString(), file } : { folder: folder.toString(), revision, file });
  return vscode.Uri.from({ scheme: REVISION_SCHEME, path: `/${revision ?? 'copy'}/${file}`, query });
}

/** Serves `transcript-coder-rev:` documents from the server, which reads the disk and git; the client runs nothing itself. */
export class RevisionContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly study: StudyClient) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { folder, revision, file } = JSON.parse(uri.query) as { folder: string; revision?: string; file: string };
    const r = await this.study.revisionText(revision === undefined ? { folder, file } : { folder, revision, file }, token);
    return r.text;
  }
}

export class AgreementPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private comparison: Comparison | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The comparison last shown, as the server answered it (for tests and for opening disagreements). */
  report: AgreementReport | undefined;
  /** The HTML last shown. */
  html = '';
  private generation = 0;

  constructor(private readonly study: StudyClient) {}

  get current(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** The command: asks for what it was not given, compares, and shows the result. */
  async compare(args: CompareArgs = {}): Promise<vscode.WebviewPanel | undefined> {
    const ws = args.folder ? vscode.workspace.getWorkspaceFolder(args.folder) : folderFor();
    const folder = args.folder ?? ws?.uri;
    if (!folder) {
      void vscode.window.showWarningMessage('Open the study folder first: Compare Coders compares it with another coder\'s copy.');
      return undefined;
    }
    const other: OtherCopy | undefined = args.other ? { kind: 'folder', uri: args.other }
      : args.revision ? { kind: 'revision', revision: args.revision }
        : await this.pickOther(folder);
    if (!other) return undefined;
    const unit = args.unit ?? await pickUnit();
    if (!unit) return undefined;
    this.comparison = { folder, other, unit };
    return this.show();
  }

  /** The choices for the other copy: another folder, or each branch of the repository (the server lists them). */
  async otherChoices(folder: vscode.Uri): Promise<(vscode.QuickPickItem & { other?: OtherCopy })[]> {
    const items: (vscode.QuickPickItem & { other?: OtherCopy })[] = [
      { label: '$(folder) Another folder…', detail: 'The other coder\'s copy of the study, in a folder of its own.' },
    ];
    const git = await this.study.gitRevisions({ folder: folder.toString() });
    if (git.repository && git.branches.length) {
      items.push({ label: 'Git branches', kind: vscode.QuickPickItemKind.Separator });
      for (const b of git.branches) {
        items.push({
          label: `$(git-branch) ${b}`,
          description: b === git.current ? 'checked out: compares the files as saved with the branch\'s last commit' : 'git branch',
          other: { kind: 'revision', revision: b },
        });
      }
    }
    return items;
  }

  private async pickOther(folder: vscode.Uri): Promise<OtherCopy | undefined> {
    const picked = await vscode.window.showQuickPick(this.otherChoices(folder), {
      title: 'Compare Coders: the other coder\'s copy',
      placeHolder: `This study (${folder.path.split('/').pop()}), as saved, is coder A. Which copy is coder B?`,
    });
    if (!picked) return undefined;
    if (picked.other) return picked.other;
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false,
      openLabel: 'Compare with this copy', title: 'The other coder\'s copy of the study',
    });
    return chosen?.[0] ? { kind: 'folder', uri: chosen[0] } : undefined;
  }

  private async show(): Promise<vscode.WebviewPanel | undefined> {
    const c = this.comparison!;
    const gen = ++this.generation;
    const params: AgreementParams = { a: c.folder.toString(), b: c.other.kind === 'folder' ? c.other.uri.toString() : c.folder.toString(), unit: c.unit };
    if (c.other.kind === 'revision') params.revisionB = c.other.revision;
    let report: AgreementReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Comparing the two coders\' copies…', cancellable: true },
        (_, token) => this.study.agreement(params, token),
      );
    } catch (err) {
      if (isCancelled(err)) return undefined;
      void vscode.window.showErrorMessage(`Compare Coders: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    if (gen !== this.generation) return this.panel;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel('transcriptCoder.agreement', AGREEMENT_TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        // The page loads nothing: no local or remote resources at all.
        localResourceRoots: [],
        enableFindWidget: true,
        retainContextWhenHidden: false,
      });
      panel.onDidDispose(() => { this.panel = undefined; }, null, this.disposables);
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handleMessage(m), null, this.disposables);
      this.panel = panel;
    } else {
      this.panel.reveal();
    }
    this.report = report;
    const nonce = randomBytes(16).toString('base64');
    this.html = agreementPage(report, this.names(), nonce);
    this.panel.webview.html = this.html;
    return this.panel;
  }

  /** How the page names the two copies. */
  private names(): { a: string; b: string } {
    const c = this.comparison!;
    const a = `${vscode.workspace.getWorkspaceFolder(c.folder)?.name ?? c.folder.fsPath} (as saved)`;
    const b = c.other.kind === 'folder' ? c.other.uri.fsPath : `branch ${c.other.revision} (last commit)`;
    return { a, b };
  }

  /** A message from the page: open a disagreement, compare again, or change the unit. Anything else is ignored. */
  async handleMessage(m: unknown): Promise<void> {
    const msg = m as { command?: unknown; index?: unknown; unit?: unknown };
    if (msg.command === 'open' && typeof msg.index === 'number') await this.openDisagreement(msg.index);
    else if (msg.command === 'refresh' && this.comparison) await this.show();
    else if (msg.command === 'unit' && this.comparison && UNITS.some((u) => u.unit === msg.unit)) {
      this.comparison.unit = msg.unit as AgreementUnit;
      await this.show();
    }
  }

  /** Opens both copies of a disagreement's transcript side by side, the passage selected in each. */
  async openDisagreement(index: number): Promise<void> {
    const d = this.report?.disagreements[index];
    const c = this.comparison;
    if (!d || !c) return;
    const left = vscode.Uri.joinPath(c.folder, ...d.file.split('/'));
    const right = c.other.kind === 'folder' ? revisionUri(c.other.uri, undefined, d.file) : revisionUri(c.folder, c.other.revision, d.file);
    const title = `${d.file}: A ↔ B (#${d.code}, applied by ${d.coder === 'A' ? 'A only' : 'B only'})`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { selection: toRange(d.rangeB), preview: true } satisfies vscode.TextDocumentShowOptions);
    // The diff editor selects in the right-hand copy; the left-hand one gets its own passage too.
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === left.toString()) select(editor, d, 'rangeA');
      else if (editor.document.uri.toString() === right.toString()) select(editor, d, 'rangeB');
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function select(editor: vscode.TextEditor, d: AgreementDisagreement, which: 'rangeA' | 'rangeB'): void {
  const range = toRange(d[which]);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function pickUnit(): Promise<AgreementUnit | undefined> {
  const picked = await vscode.window.showQuickPick(UNITS.map((u) => ({ label: u.label, detail: u.detail, unit: u.unit })), {
    title: 'Compare Coders: what to compare', placeHolder: 'Characters is the usual choice when coders mark passages of their own choosing.',
  });
  return picked?.unit;
}

function isCancelled(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err as { code?: number })?.code === -32800;
}

/** The policy of the page: no resource at all but its own style and script, which carry `nonce`. */
export function agreementCsp(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
}

const UNIT_WORDS: Record<AgreementUnit, string> = {
  character: 'characters of the interview text (markup left out)',
  paragraph: 'paragraphs',
  transcript: 'transcripts',
};

/** The page for a comparison: every piece of study text (codes, file names, excerpts, folder names) escaped. */
export function agreementPage(r: AgreementReport, names: { a: string; b: string }, nonce: string): string {
  const e = escapeHtml;
  const figures = (f: AgreementFigures): string =>
    `<td>${f.both}</td><td>${f.onlyA}</td><td>${f.onlyB}</td><td>${f.neither}</td><td>${percent(f.percent)}</td><td class="k">${stat(f.kappa)}</td><td>${stat(f.alpha)}</td>`;
  const paired = r.transcripts.filter((t) => t.paired).length;
  const body: string[] = [];
  body.push(`<p class="who">Coder A: <b>${e(names.a)}</b> · coder B: <b>${e(names.b)}</b></p>`);
  body.push(`<div class="toolbar"><label>Compare <select id="unit">${UNITS.map((u) => `<option value="${u.unit}"${u.unit === r.unit ? ' selected' : ''}>${u.label.toLowerCase()}</option>`).join('')}</select></label>`
    + ' <button id="refresh" type="button">Compare again</button></div>');
  body.push(`<p class="summary">${plural(paired, 'transcript')} compared, unit: ${UNIT_WORDS[r.unit]}.</p>`);
  const o = r.overall;
  body.push('<section class="overall" aria-label="Overall figures">'
    + `<div class="figure ${band(o.kappa)}"><span class="value" id="overall-kappa">${stat(o.kappa)}</span><span class="name">Cohen's kappa</span></div>`
    + `<div class="figure"><span class="value" id="overall-alpha">${stat(o.alpha)}</span><span class="name">Krippendorff's alpha</span></div>`
    + `<div class="figure"><span class="value" id="overall-percent">${percent(o.percent)}</span><span class="name">agreement</span></div>`
    + `<div class="figure"><span class="value">${r.disagreements.length}</span><span class="name">disagreement${r.disagreements.length === 1 ? '' : 's'}</span></div>`
    + '</section>');
  if (r.codes.length === 0) body.push('<p>Neither coder applied a code in the transcripts compared.</p>');
  else {
    body.push('<table class="codes"><thead><tr><th>Code</th><th>Both</th><th>Only A</th><th>Only B</th><th>Neither</th><th>Agreement</th><th>Kappa</th><th>Alpha</th></tr></thead><tbody>');
    for (const c of r.codes) body.push(`<tr class="${band(c.kappa)}" data-code="${e(c.code)}"><th><code>${e(c.code)}</code></th>${figures(c)}</tr>`);
    body.push(`</tbody><tfoot><tr class="${band(o.kappa)}" data-code=""><th>All codes</th>${figures(o)}</tr></tfoot></table>`);
  }
  const left: string[] = [];
  for (const t of r.transcripts) {
    if (!t.paired) left.push(`${e(t.file)}: ${t.onlyIn ? `only in coder ${t.onlyIn}'s copy` : 'could not be read in both copies'}; left out.`);
    else if (t.unalignedCharacters) {
      left.push(`${e(t.file)}: the two copies' texts differ; ${plural(t.unalignedCharacters, 'character')} that could not be lined up ${t.unalignedCharacters === 1 ? 'was' : 'were'} left out.`);
    }
  }
  if (left.length) body.push('<h2>Left out</h2><ul class="left-out">', ...left.map((l) => `<li>${l}</li>`), '</ul>');
  body.push(`<h2>Disagreements (${r.disagreements.length})</h2>`);
  if (r.disagreements.length === 0) body.push('<p>None: the coders applied every code to the same units.</p>');
  else {
    body.push('<p class="hint">Click a disagreement to open both copies side by side at that passage.</p><ol class="disagreements">');
    r.disagreements.forEach((d, i) => {
      const lines = (w: 'rangeA' | 'rangeB'): string => (d[w].start.line === d[w].end.line ? `${d[w].start.line + 1}` : `${d[w].start.line + 1}–${d[w].end.line + 1}`);
      body.push(`<li><button type="button" class="open" data-index="${i}"><span class="where">${e(d.file)}, line ${lines('rangeA')} (A) / ${lines('rangeB')} (B)</span>`
        + ` <code>#${e(d.code)}</code> <span class="by">coded by ${d.coder} only</span><span class="excerpt">${e(truncate(d.excerpt, 400))}</span></button></li>`);
    });
    body.push('</ol>');
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${agreementCsp(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${AGREEMENT_TITLE}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>${AGREEMENT_TITLE}</h1>
${body.join('\n')}
<p class="legend">Agreement: the share of units on which both coders made the same choice. Kappa (Cohen) and alpha (Krippendorff) allow for the agreement expected by chance; — where a figure cannot be computed (a code applied to every unit, or to none, by both coders). Rows are shaded by kappa: <span class="high">above 0.8</span> <span class="good">0.6–0.8</span> <span class="fair">0.4–0.6</span> <span class="low">0.4 or less</span>.</p>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// The only script on the page: it posts what was clicked; the extension opens, compares and reads.
const SCRIPT = `const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button.open')) {
  b.addEventListener('click', () => vscode.postMessage({ command: 'open', index: Number(b.dataset.index) }));
}
document.getElementById('refresh').addEventListener('click', () => vscode.postMessage({ command: 'refresh' }));
document.getElementById('unit').addEventListener('change', (e) => vscode.postMessage({ command: 'unit', unit: e.target.value }));`;

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); margin: 1.2em 1.5em; }
h1 { font-size: 1.4em; margin: 0 0 0.4em; }
h2 { font-size: 1.1em; margin-top: 1.6em; }
.who, .summary, .legend, .hint { color: var(--vscode-descriptionForeground); }
.toolbar { margin: 0.6em 0; }
select, button { font: inherit; color: var(--vscode-button-secondaryForeground, var(--vscode-foreground)); background: var(--vscode-button-secondaryBackground, transparent); border: 1px solid var(--vscode-panel-border); padding: 0.15em 0.6em; }
.overall { display: flex; gap: 1em; flex-wrap: wrap; margin: 1em 0; }
.figure { border: 1px solid var(--vscode-panel-border); padding: 0.5em 1em; min-width: 8em; }
.figure .value { display: block; font-size: 1.6em; font-variant-numeric: tabular-nums; }
.figure .name { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid var(--vscode-panel-border); padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; text-align: right; }
tfoot th, tfoot td { font-weight: bold; }
code { font-family: var(--vscode-editor-font-family); color: inherit; background: none; padding: 0; }
.high { background: color-mix(in srgb, var(--vscode-charts-green) 35%, transparent); }
.good { background: color-mix(in srgb, var(--vscode-charts-green) 15%, transparent); }
.fair { background: color-mix(in srgb, var(--vscode-charts-yellow) 25%, transparent); }
.low { background: color-mix(in srgb, var(--vscode-charts-red) 25%, transparent); }
.legend span { padding: 0 0.4em; }
ol.disagreements { padding-left: 2em; }
ol.disagreements li { margin: 0.3em 0; }
button.open { display: block; width: 100%; text-align: left; background: transparent; border: 1px solid transparent; color: var(--vscode-foreground); padding: 0.3em 0.5em; cursor: pointer; }
button.open:hover, button.open:focus { border-color: var(--vscode-focusBorder); background: var(--vscode-list-hoverBackground); }
button.open .where { color: var(--vscode-textLink-foreground); }
button.open .by { color: var(--vscode-descriptionForeground); }
button.open .excerpt { display: block; white-space: pre-wrap; margin-top: 0.2em; }
`;
