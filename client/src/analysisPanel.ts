/**
 * The Analysis page (SPEC §10): one of the server's tables (`transcriptCoder/matrix`) — codes by
 * question, by transcript, by a front-matter key, or codes that occur together — with cells shaded by
 * value. A click on a cell lists its passages (`transcriptCoder/segments` with `cellSegmentsParams`);
 * a click on a passage opens the transcript with the passage selected. The table is exported by the
 * server (`transcriptCoder.export`), so the file is what `transcript-coder matrix` prints.
 *
 * The page is built here from the server's figures under the same policy as the coverage report:
 * nothing loaded, style and script by nonce, every piece of study text escaped (`escapeHtml`) or set
 * as text by the page's script. Shades are classes: the policy admits no style attribute.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import {
  cellSegmentsParams, NO_VALUE, type MatrixResult, type MatrixTable, type SegmentRow,
} from '../../server/src/protocol';
import { escapeHtml, truncate } from './format';
import { reportCsp, type ExportFormat } from './reportPanel';
import { folderFor, toRange, type StudyClient } from './study';

export const ANALYSIS_TITLE = 'Analysis';

/** The tables every study has; front-matter keys are offered after them. */
const NAMED: Record<string, string> = {
  question: 'Codes × questions',
  transcript: 'Codes × transcripts',
  code: 'Codes × codes (occurring together)',
};

/** Front-matter fields of the format itself rather than case attributes (SPEC §4.1). */
const NOT_GROUPS = new Set(['guide', 'participant', 'skipped', 'speakers']);

/** Number of shades in the heat map (class `s1` … `s5`; `s0` is an empty cell). */
const SHADES = 5;

/** A passage listed under the table: what the page shows and where it opens. */
export interface ShownPassage {
  participant: string;
  question: string;
  code: string;
  excerpt: string;
  uri: string;
  range: SegmentRow['range'];
}

/** What the page's script sends. */
type PageMessage =
  | { command: 'cell'; row: number; column: number }
  | { command: 'passage'; index: number }
  | { command: 'table'; by: string; exact: boolean; where: string }
  | { command: 'export'; format: ExportFormat };

const SCRIPT = `const vscode = acquireVsCodeApi();
const post = (m) => vscode.postMessage(m);
const by = document.getElementById('by'), exact = document.getElementById('exact'), where = document.getElementById('where');
const table = () => post({ command: 'table', by: by.value, exact: exact.checked, where: where.value });
by.addEventListener('change', table); exact.addEventListener('change', table); where.addEventListener('change', table);
document.getElementById('export-csv').addEventListener('click', () => post({ command: 'export', format: 'csv' }));
document.getElementById('export-md').addEventListener('click', () => post({ command: 'export', format: 'md' }));
const choose = (td) => {
  for (const c of document.querySelectorAll('td.chosen')) c.classList.remove('chosen');
  td.classList.add('chosen');
  post({ command: 'cell', row: Number(td.dataset.row), column: Number(td.dataset.column) });
};
for (const td of document.querySelectorAll('td[data-row]')) {
  td.addEventListener('click', () => choose(td));
  td.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(td); } });
}
const list = document.getElementById('passages'), heading = document.getElementById('passages-title');
window.addEventListener('message', (event) => {
  const m = event.data;
  if (m.command !== 'passages') return;
  heading.textContent = m.title;
  list.replaceChildren();
  m.passages.forEach((p, index) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'passage';
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = p.participant + (p.question ? ' · ' + p.question : '') + ' · #' + p.code;
    const text = document.createElement('span');
    text.className = 'excerpt';
    text.textContent = p.excerpt;
    button.append(who, text);
    button.addEventListener('click', () => post({ command: 'passage', index }));
    li.append(button);
    list.append(li);
  });
});`;

const STYLE = `body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 2em; }
.toolbar { display: flex; flex-wrap: wrap; gap: 0.6em 1.2em; align-items: center; margin: 1em 0; }
select, button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.25em 0.7em; }
select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border, transparent); }
button:hover { background: var(--vscode-button-hoverBackground); }
p.note { color: var(--vscode-descriptionForeground); max-width: 60em; }
.wrap { overflow: auto; max-height: 60vh; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 0.2em 0.5em; }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background); font-weight: normal; vertical-align: bottom; }
th[scope=row] { text-align: left; font-weight: normal; white-space: nowrap; }
th code { color: inherit; background: none; font-family: var(--vscode-editor-font-family); }
th[scope=row] .label { color: var(--vscode-descriptionForeground); margin-left: 0.5em; }
${Array.from({ length: 8 }, (_, d) => `th.d${d} { padding-left: ${0.5 + 1.2 * d}em; }`).join('\n')}
td { text-align: right; font-variant-numeric: tabular-nums; }
td[data-row] { cursor: pointer; }
td[data-row]:focus, td.chosen { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; }
td.s0 { color: var(--vscode-descriptionForeground); }
${Array.from({ length: SHADES }, (_, i) => `td.s${i + 1} { background: color-mix(in srgb, var(--vscode-charts-blue, #3c78c8) ${Math.round(15 + (i * 60) / (SHADES - 1))}%, transparent); }`).join('\n')}
ol#passages { padding-left: 1.5em; }
button.passage { display: block; text-align: left; width: 100%; color: var(--vscode-foreground); background: none; padding: 0.3em 0; cursor: pointer; }
button.passage:hover .excerpt { text-decoration: underline; }
.who { display: block; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.excerpt { display: block; }`;

export class AnalysisPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private folder: vscode.WorkspaceFolder | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The table shown: `by`, `exact`, and at most one `where` pair. */
  table: MatrixTable = { by: 'question' };
  /** The server's answer for the table shown. */
  matrix: MatrixResult | undefined;
  /** The passages of the cell last chosen. */
  passages: ShownPassage[] = [];
  /** The HTML last shown (for tests and for checking what the page holds). */
  html = '';
  private readonly updated = new vscode.EventEmitter<void>();
  /** Fires when the page shows a new table. */
  readonly onDidUpdate = this.updated.event;
  private generation = 0;

  constructor(
    private readonly study: StudyClient,
    private readonly exportTable: (format: ExportFormat, table: MatrixTable, folder: vscode.WorkspaceFolder | undefined) => Promise<unknown>,
  ) {
    this.disposables.push(this.updated, study.onDidChange(() => {
      if (this.panel?.visible) void this.update();
    }));
  }

  get current(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Shows the page for `resource`'s folder (the active editor's, else the first), with the table `by` when given. */
  async show(resource?: vscode.Uri, by?: string): Promise<vscode.WebviewPanel> {
    this.folder = folderFor(resource);
    if (by !== undefined && by.trim() !== '') this.table = { ...this.table, by: by.trim() };
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel('transcriptCoder.analysis', ANALYSIS_TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
        enableFindWidget: true,
        // The chosen cell's passages stay listed while another tab is in front.
        retainContextWhenHidden: true,
      });
      panel.onDidDispose(() => { this.panel = undefined; }, null, this.disposables);
      panel.webview.onDidReceiveMessage((m: unknown) => { void this.receive(m as PageMessage); }, null, this.disposables);
      this.panel = panel;
    } else {
      this.panel.reveal();
    }
    await this.update();
    return this.panel;
  }

  /** What the page's script sends, handled as the page does (tests call it as the page would). */
  async receive(m: PageMessage): Promise<void> {
    if (m.command === 'cell' && Number.isInteger(m.row) && Number.isInteger(m.column)) await this.openCell(m.row, m.column);
    else if (m.command === 'passage' && Number.isInteger(m.index)) await this.openPassage(m.index);
    else if (m.command === 'table' && typeof m.by === 'string' && m.by.trim() !== '') await this.setTable(m.by.trim(), m.exact === true, typeof m.where === 'string' ? m.where : '');
    else if (m.command === 'export' && (m.format === 'csv' || m.format === 'md')) await this.exportTable(m.format, this.table, this.folder);
  }

  /** Shows another table: `where` is `KEY=VALUE`, or empty for every transcript. */
  async setTable(by: string, exact: boolean, where: string): Promise<void> {
    const eq = where.indexOf('=');
    const key = eq > 0 ? where.slice(0, eq) : '';
    this.table = { by, exact, ...(key !== '' && key !== by ? { where: { [key]: [where.slice(eq + 1)] } } : {}) };
    this.passages = [];
    await this.update();
  }

  /** Lists the passages behind one cell of the table shown, under the table. */
  async openCell(row: number, column: number): Promise<ShownPassage[]> {
    const m = this.matrix, r = m?.rows[row], c = m?.columns[column];
    if (!m || !r || !c) return [];
    const rows = await this.study.segments(cellSegmentsParams({ ...this.table, ...this.target() }, r.code, c.key));
    this.passages = rows.map((s) => ({
      participant: s.participant, question: s.questions.join(', '), code: s.code, excerpt: truncate(s.excerpt, 400), uri: s.uri, range: s.range,
    }));
    const n = rows.length;
    const where = m.by === 'code'
      ? (r.code === c.key ? '' : ` overlapping #${c.key}`)
      : m.by === 'question' ? ` answering ${c.label}` : m.by === 'transcript' ? ` in ${c.label}` : c.key === NO_VALUE ? ` where no ${m.by} is given` : ` where ${m.by} is ${c.label}`;
    const title = `${n} ${n === 1 ? 'passage' : 'passages'} coded #${r.code}${m.exact ? '' : ' (or a sub-code)'}${where}`;
    await this.panel?.webview.postMessage({ command: 'passages', title, passages: this.passages });
    return this.passages;
  }

  /** Opens the transcript of a listed passage with the passage selected. */
  async openPassage(index: number): Promise<vscode.TextEditor | undefined> {
    const p = this.passages[index];
    if (!p) return undefined;
    const range = toRange(p.range);
    return vscode.window.showTextDocument(vscode.Uri.parse(p.uri), { selection: range, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  }

  private target(): { folder?: string } {
    return this.folder ? { folder: this.folder.uri.toString() } : {};
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const gen = ++this.generation;
    const [matrix, coverage] = await Promise.all([
      this.study.matrix({ ...this.table, ...this.target() }),
      this.study.coverage(this.target()),
    ]);
    if (this.panel !== panel || gen !== this.generation) return;
    // The keys and values offered are those of the study's transcripts, as the server reads them.
    const values = new Map<string, Set<string>>();
    for (const t of [...coverage.guides.flatMap((g) => g.transcripts), ...(coverage.unresolved ?? [])]) {
      // The role is a field of its own in the coverage answer; it groups participants as any attribute does.
      const attributes: Record<string, unknown> = t.role !== null && t.role !== undefined ? { role: t.role, ...t.attributes } : t.attributes;
      for (const [k, v] of Object.entries(attributes)) {
        if (NOT_GROUPS.has(k)) continue;
        const set = values.get(k) ?? new Set<string>();
        for (const x of Array.isArray(v) ? v : [v]) set.add(String(x));
        values.set(k, set);
      }
    }
    const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    panel.title = multi && this.folder ? `${ANALYSIS_TITLE} — ${this.folder.name}` : ANALYSIS_TITLE;
    this.matrix = matrix;
    this.passages = [];
    const nonce = randomBytes(16).toString('base64');
    this.html = page(matrix, this.table, values, nonce);
    panel.webview.html = this.html;
    this.updated.fire();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

/** What a cell holds, in words, for screen readers and the tooltip. */
function cellWords(segments: number, transcripts: number): string {
  return segments === 0 ? 'none' : `${segments} ${segments === 1 ? 'passage' : 'passages'} in ${transcripts} ${transcripts === 1 ? 'transcript' : 'transcripts'}`;
}

function page(m: MatrixResult, table: MatrixTable, values: Map<string, Set<string>>, nonce: string): string {
  const keys = [...values.keys()].sort();
  if (!(table.by in NAMED) && !keys.includes(table.by)) keys.push(table.by);
  const byOptions = [
    ...Object.entries(NAMED).map(([k, label]) => option(k, label, table.by === k)),
    ...keys.map((k) => option(k, `Codes × ${k}`, table.by === k)),
  ].join('');
  const current = Object.entries(table.where ?? {}).map(([k, v]) => `${k}=${v[0]}`)[0] ?? '';
  const whereOptions = [option('', 'All transcripts', current === '')];
  // A table by a key is already split by its values: filtering on the same key would only hide columns.
  for (const k of keys.filter((key) => key !== table.by)) for (const v of [...values.get(k) ?? []].sort()) whereOptions.push(option(`${k}=${v}`, truncate(`${k} = ${v}`, 60), current === `${k}=${v}`));
  if (current !== '' && !whereOptions.some((o) => o.includes(` selected`))) whereOptions.push(option(current, current.replace('=', ' = '), true));

  const max = Math.max(1, ...m.rows.flatMap((r) => m.columns.map((c) => r.cells[c.key]?.segments ?? 0)));
  const head = m.columns.map((c) => `<th scope="col" title="${escapeHtml(c.key)}">${escapeHtml(c.label)}${c.size !== undefined ? `<br><small>${c.size} ${c.size === 1 ? 'transcript' : 'transcripts'}</small>` : ''}</th>`).join('');
  const body = m.rows.map((r, i) => {
    const cells = m.columns.map((c, j) => {
      const cell = r.cells[c.key] ?? { segments: 0, transcripts: 0 };
      const shade = cell.segments === 0 ? 0 : Math.max(1, Math.ceil((SHADES * cell.segments) / max));
      const words = `#${r.code} × ${c.label}: ${cellWords(cell.segments, cell.transcripts)}`;
      return `<td class="s${shade}" data-row="${i}" data-column="${j}" tabindex="0" title="${escapeHtml(words)}" aria-label="${escapeHtml(words)}">${cell.segments === 0 ? '·' : `${cell.segments} (${cell.transcripts})`}</td>`;
    }).join('');
    const label = r.known ? (r.label !== r.code ? `<span class="label">${escapeHtml(r.label)}</span>` : '') : '<span class="label">not in codebook</span>';
    return `<tr><th scope="row" class="d${Math.min(r.depth, 7)}"><code>${escapeHtml(r.code)}</code>${label}</th>${cells}</tr>`;
  }).join('\n');
  const counted = m.exact ? 'each code alone' : 'each code together with its sub-codes';
  const note = m.by === 'code'
    ? `Each cell counts the pairs of overlapping coded passages in one transcript (${counted}); the diagonal counts the code's own passages. The number of transcripts is in brackets.`
    : `Each cell counts coded passages (${counted}), with the number of transcripts they come from in brackets.`;
  const table_ = m.rows.length === 0 || m.columns.length === 0
    ? '<p>Nothing to count: no coded passages in these transcripts.</p>'
    : `<div class="wrap"><table><thead><tr><th scope="col">Code</th>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(nonce))}">
<title>${ANALYSIS_TITLE}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div class="toolbar">
<label>Table <select id="by">${byOptions}</select></label>
<label>Transcripts <select id="where">${whereOptions.join('')}</select></label>
<label><input type="checkbox" id="exact"${m.exact ? ' checked' : ''}> Count each code alone (without its sub-codes)</label>
<button id="export-csv" type="button">Export CSV…</button><button id="export-md" type="button">Export Markdown…</button>
</div>
<p class="note">${escapeHtml(note)} Click a cell to list its passages; click a passage to open it.</p>
${table_}
<h2 id="passages-title">Passages</h2>
<ol id="passages"></ol>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
