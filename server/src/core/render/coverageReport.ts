/**
 * The coverage report as Markdown, CSV and HTML. The JSON form is the
 * `CoverageReport` itself.
 */
import type { Cell, CoverageReport, GuideReport, ReportQuestion } from '../coverage';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeHtml, escapeMarkdownCell as md, truncate } from './escape';

const SYMBOL: Record<Cell, string> = { asked: '✓', skipped: '–', 'not-asked': '✗', 'not-expected': '' };
const WORD: Record<Cell, string> = { asked: 'asked', skipped: 'skipped', 'not-asked': 'not asked', 'not-expected': 'not expected' };

export function formatPercent(p: number | null): string {
  return p === null ? '—' : `${p}%`;
}

function ratio(asked: number, expected: number): string {
  return `${asked}/${expected} (${formatPercent(expected === 0 ? null : Math.round((asked / expected) * 100))})`;
}

/** `4/5` for expected questions; `asked in 2` for optional ones and other roles' questions. */
function questionTotal(q: ReportQuestion): string {
  if (q.expectedIn === 0) return q.askedAnyIn ? `asked in ${q.askedAnyIn}` : '—';
  const extra = q.askedAnyIn - q.askedIn;
  return `${q.askedIn}/${q.expectedIn}${extra > 0 ? ` (+${extra})` : ''}`;
}

function questionLabel(q: ReportQuestion): string {
  return `${q.parent ? '↳ ' : ''}${q.id}`;
}

// ---------------------------------------------------------------- Markdown

/** The report as Markdown, without terminal control characters (it is printed on terminals). */
export function coverageMarkdown(report: CoverageReport, title = 'Coverage report'): string {
  const out: string[] = [`# ${md(title)}`, ''];
  if (report.filter) out.push(`Transcripts where ${md(filterText(report.filter))}.`, '');
  if (report.guides.length === 0) {
    out.push('This study has no interview guide (`*.guide.yaml`), so there is nothing to cover.', '');
    return printable(out.join('\n'));
  }
  const none = noTranscriptsSentence(report);
  for (const g of report.guides) out.push(...guideMarkdown(g, none));
  out.push(`Legend: ${SYMBOL.asked} asked · ${SYMBOL.skipped} skipped · ${SYMBOL['not-asked']} not asked · blank: not expected of this participant (optional, or for another role). In the Asked column, 4/5 means asked in 4 of the 5 transcripts that were expected to ask it, (+1) that one more participant was asked it without being expected to, and "asked in 2" counts an optional question.`, '');
  return printable(out.join('\n'));
}

/** `--where role=tm site=A or B`, as a person reads it. */
export function filterText(filter: Record<string, string[]>): string {
  return Object.entries(filter).map(([k, v]) => `${k}=${v.join(' or ')}`).join(', ');
}

/** What to say of a guide with no transcripts: none yet, or none that the filter kept. */
function noTranscriptsSentence(report: CoverageReport): string {
  return report.filter ? `No transcript of this guide matches ${filterText(report.filter)}.` : 'No transcript follows this guide yet.';
}

function guideMarkdown(g: GuideReport, none: string): string[] {
  const out: string[] = [`## ${md(g.id)} — ${md(g.title)}`, ''];
  const n = g.transcripts.length;
  out.push(`${n} transcript${n === 1 ? '' : 's'} · ${g.asked} of ${g.expected} expected questions asked (${formatPercent(g.percent)}) · guide file \`${g.file}\``, '');
  if (n === 0) {
    out.push(none, '');
    return out;
  }
  out.push('| Participant | Role | Asked | Coverage | Not asked | File |', '|---|---|---:|---:|---|---|');
  for (const t of g.transcripts) {
    out.push(`| ${md(t.participant)} | ${md(t.role ?? '')} | ${t.asked}/${t.expected} | ${formatPercent(t.percent)} | ${md(t.missing.join(', ')) || '—'} | ${md(t.file)} |`);
  }
  out.push('');
  out.push('### Questions by transcript', '');
  const header = ['Question', ...g.transcripts.map((t) => md(t.participant)), 'Asked'];
  for (const s of g.sections) {
    out.push(`#### ${md(s.title || s.id)} (\`${s.id}\`)${s.roles.length ? ` — for ${s.roles.join(', ')}` : ''}`, '');
    out.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : ':---:')).join('|')}|`);
    for (const q of s.questions) {
      const cells = g.transcripts.map((t) => SYMBOL[t.cells[q.id] ?? 'not-expected']);
      out.push(`| ${md(questionLabel(q))}: ${md(truncate(q.text, 70))} | ${cells.join(' | ')} | ${questionTotal(q)} |`);
    }
    out.push(`| **Section total** | ${g.transcripts.map(() => '').join(' | ')} | ${ratio(s.asked, s.expected)} |`, '');
  }
  return out;
}

// ---------------------------------------------------------------- CSV

/**
 * One row per transcript: case data, totals, then one column per question with its cell. Study text is made
 * safe for spreadsheets unless `raw` (see `CsvOptions`).
 */
export function coverageCsv(report: CoverageReport, options: CsvOptions = {}): string {
  const attrKeys = [...new Set(report.guides.flatMap((g) => g.transcripts.flatMap((t) => Object.keys(t.attributes))))];
  const questionIds: string[] = [];
  const seen = new Set<string>();
  for (const g of report.guides) for (const s of g.sections) for (const q of s.questions) if (!seen.has(q.id)) { seen.add(q.id); questionIds.push(q.id); }
  const rows: string[][] = [['guide', 'file', 'participant', 'role', ...attrKeys, 'asked', 'expected', 'percent', ...questionIds]];
  for (const g of report.guides) {
    for (const t of g.transcripts) {
      rows.push([
        g.id, t.file, t.participant, t.role ?? '', ...attrKeys.map((k) => t.attributes[k] ?? ''),
        String(t.asked), String(t.expected), t.percent === null ? '' : String(t.percent),
        ...questionIds.map((id) => t.cells[id] ?? ''),
      ]);
    }
  }
  return csvText(rows, options);
}

// ---------------------------------------------------------------- HTML

export interface HtmlOptions {
  /** A Content-Security-Policy for the page's meta tag (the editor's webview passes a strict one). */
  csp?: string;
  title?: string;
  /** Markup placed before the report (buttons of the editor's view); must already be safe. */
  toolbar?: string;
  /** A nonce for the page's one inline script, if any is given in `script`. */
  nonce?: string;
  script?: string;
}

/**
 * A self-contained HTML page: inline styles only, no remote content; colours
 * come from the editor's theme variables where present, else a light palette.
 */
export function coverageHtml(report: CoverageReport, options: HtmlOptions = {}): string {
  const title = options.title ?? 'Coverage report';
  const body: string[] = [];
  if (report.guides.length === 0) body.push('<p>This study has no interview guide (<code>*.guide.yaml</code>), so there is nothing to cover.</p>');
  const none = noTranscriptsSentence(report);
  if (report.filter) body.push(`<p class="summary">Transcripts where ${escapeHtml(filterText(report.filter))}.</p>`);
  for (const g of report.guides) body.push(guideHtml(g, none));
  const csp = options.csp ? `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">` : '';
  const script = options.script && options.nonce ? `<script nonce="${escapeHtml(options.nonce)}">${options.script}</script>` : '';
  // Printed on a terminal by `report --format html`: no control characters from study text.
  return printable(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${csp}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style${options.nonce ? ` nonce="${escapeHtml(options.nonce)}"` : ''}>${STYLE}</style>
</head>
<body>
${options.toolbar ?? ''}
<h1>${escapeHtml(title)}</h1>
${body.join('\n')}
<p class="legend"><span class="cell asked">✓</span> asked <span class="cell skipped">–</span> skipped <span class="cell not-asked">✗</span> not asked <span class="cell not-expected"></span> not expected (optional, or for another role). In the Asked column, 4/5 means asked in 4 of the 5 transcripts expected to ask it; (+1) one more participant was asked it without being expected to.</p>
${script}
</body>
</html>
`);
}

function guideHtml(g: GuideReport, none: string): string {
  const e = escapeHtml;
  const n = g.transcripts.length;
  const parts: string[] = [`<section class="guide"><h2>${e(g.title || g.id)} <small>${e(g.id)}</small></h2>`];
  parts.push(`<p class="summary">${n} transcript${n === 1 ? '' : 's'} · <strong>${g.asked}</strong> of ${g.expected} expected questions asked (<strong>${e(formatPercent(g.percent))}</strong>)</p>`);
  if (n === 0) {
    parts.push(`<p>${escapeHtml(none)}</p></section>`);
    return parts.join('\n');
  }
  const head = g.transcripts.map((t) => `<th class="transcript" title="${e(t.file)}">${e(t.participant)}${t.role ? `<br><small>${e(t.role)}</small>` : ''}</th>`).join('');
  parts.push(`<table class="matrix"><thead><tr><th class="question">Question</th>${head}<th>Asked</th></tr></thead><tbody>`);
  for (const s of g.sections) {
    parts.push(`<tr class="section"><th colspan="${n + 2}">${e(s.title || s.id)} <small>${e(s.id)}${s.roles.length ? ` · for ${e(s.roles.join(', '))}` : ''}</small></th></tr>`);
    for (const q of s.questions) {
      const cells = g.transcripts.map((t) => {
        const c = t.cells[q.id] ?? 'not-expected';
        return `<td class="cell ${c}" title="${e(`${t.participant}: ${WORD[c]}`)}">${SYMBOL[c]}</td>`;
      }).join('');
      parts.push(`<tr><th class="question${q.parent ? ' followup' : ''}" title="${e(q.text)}"><code>${e(q.id)}</code> ${e(truncate(q.text, 80))}${q.optional ? ' <small>(optional)</small>' : ''}</th>${cells}<td class="total">${e(questionTotal(q))}</td></tr>`);
    }
    parts.push(`<tr class="section-total"><th>Section total</th>${g.transcripts.map(() => '<td></td>').join('')}<td class="total">${e(ratio(s.asked, s.expected))}</td></tr>`);
  }
  const totals = g.transcripts.map((t) => `<td class="total">${t.asked}/${t.expected}<br>${e(formatPercent(t.percent))}</td>`).join('');
  parts.push(`</tbody><tfoot><tr><th>Transcript total</th>${totals}<td class="total">${e(ratio(g.asked, g.expected))}</td></tr></tfoot></table></section>`);
  return parts.join('\n');
}

const STYLE = `
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 14px);
  color: var(--vscode-editor-foreground, #1f2328); background: var(--vscode-editor-background, #fff); margin: 1em 1.5em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.5em; } small { opacity: .7; font-weight: normal; }
table.matrix { border-collapse: collapse; margin: .5em 0 1.5em; }
.matrix th, .matrix td { border: 1px solid var(--vscode-editorWidget-border, #d0d7de); padding: .2em .45em; }
.matrix th.question { text-align: left; font-weight: normal; max-width: 38em; }
.matrix th.followup { padding-left: 1.6em; }
.matrix tr.section th { text-align: left; background: var(--vscode-editorWidget-background, #f6f8fa); font-weight: bold; }
.matrix td.cell { text-align: center; min-width: 2em; }
.cell.asked { color: var(--vscode-testing-iconPassed, #1a7f37); }
.cell.not-asked { color: var(--vscode-errorForeground, #cf222e); font-weight: bold; }
.cell.skipped { color: var(--vscode-descriptionForeground, #57606a); }
.matrix td.total { text-align: right; white-space: nowrap; }
.matrix tfoot th, .matrix tr.section-total th { text-align: left; }
.legend .cell { display: inline-block; min-width: 1.2em; text-align: center; }
.toolbar { display: flex; gap: .5em; }
.toolbar button { color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, #0969da); border: none; padding: .35em .8em; cursor: pointer; }
`;
