/**
 * The coverage report as Markdown, CSV and HTML. The JSON form is the
 * `CoverageReport` itself.
 */
import { attributeText } from '../study';
import type { Cell, CoverageReport, GuideReport, ReportQuestion, ReportTranscript, UnresolvedTranscript } from '../coverage';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeHtml, escapeMarkdownCell, markdownCode, truncate } from './escape';
import { cspHash } from './sha256';
import { plural } from './words';

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

/** `↳ id` for a follow-up, `· ↳ id` for a follow-up of a follow-up, and so on: indented by its depth. */
function questionLabel(q: ReportQuestion, depth: number): string {
  return `${depth > 0 ? `${'· '.repeat(depth - 1)}↳ ` : ''}${q.id}`;
}

/** How many follow-up levels deep each question of a guide stands: 0 for a question, 1 for its follow-ups, … */
function depths(g: GuideReport): Map<string, number> {
  const parent = new Map<string, string | null>();
  for (const s of g.sections) for (const q of s.questions) if (!parent.has(q.id)) parent.set(q.id, q.parent);
  const out = new Map<string, number>();
  for (const id of parent.keys()) {
    let depth = 0;
    // Bounded by the number of questions, whatever the parents say.
    for (let p = parent.get(id); p && depth < parent.size; p = parent.get(p) ?? null) depth++;
    out.set(id, depth);
  }
  return out;
}

/** The questions of a guide that are drawn apart: those the guide has retired. */
function retiredQuestions(g: GuideReport): ReportQuestion[] {
  return g.sections.flatMap((s) => s.questions.filter((q) => q.retired));
}

/** Whether the Role column says anything: the guide declares roles, or a transcript names one all the same. */
function hasRoles(g: GuideReport): boolean {
  return g.roles.length > 0 || g.transcripts.some((t) => t.role !== null);
}

/** Transcripts whose guide was not found: the heading of their part of the report, and what to do. */
const UNRESOLVED_HEADING = 'Transcripts whose guide was not found';

function unresolvedSentence(n: number): string {
  return n === 1
    ? '1 transcript is counted in no coverage because its guide was not found: correct its `guide:` line, or add the guide it names to the study.'
    : `${plural(n, 'transcript')} are counted in no coverage because their guide was not found: correct their \`guide:\` lines, or add the guides they name to the study.`;
}

/** What a transcript whose guide was not found names as its guide, in words: `x` and why it was not found, or none. */
function unresolvedGuide(t: UnresolvedTranscript, code: (s: string) => string): string {
  return t.guide === null ? 'none named' : `${code(t.guide)}: no guide has this ID`;
}

/** A transcript's skipped questions, each with its reason where one is given: `a (reason); b`. */
function skippedText(t: ReportTranscript): string {
  return Object.keys(t.cells).filter((id) => t.cells[id] === 'skipped')
    .map((id) => { const why = t.skipReasons?.[id]; return why !== undefined ? `${id} (${why.replace(/\s+/g, ' ').trim()})` : id; }).join('; ');
}

// ---------------------------------------------------------------- Markdown

/** The report as Markdown, without terminal control characters (it is printed on terminals). */
export function coverageMarkdown(report: CoverageReport, title = 'Coverage report'): string {
  const out: string[] = [`# ${escapeMarkdownCell(title)}`, ''];
  if (report.filter) out.push(`Transcripts where ${escapeMarkdownCell(filterText(report.filter))}.`, '');
  if (report.guides.length === 0) {
    out.push('This study has no interview guide (`*.guide.yaml`), so there is nothing to cover.', '', ...unresolvedMarkdown(report));
    return printable(out.join('\n'));
  }
  const none = escapeMarkdownCell(noTranscriptsSentence(report));
  for (const g of report.guides) out.push(...guideMarkdown(g, none));
  out.push(...unresolvedMarkdown(report));
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
  const out: string[] = [`## ${escapeMarkdownCell(g.id)} — ${escapeMarkdownCell(g.title)}`, ''];
  const n = g.transcripts.length;
  out.push(`${n} transcript${n === 1 ? '' : 's'} · ${g.asked} of ${g.expected} expected questions asked (${formatPercent(g.percent)}) · guide file ${markdownCode(g.file)}`, '');
  if (n === 0) {
    out.push(none, '');
    return out;
  }
  // The Role and Skipped columns only where they have something to say.
  const skipped = g.transcripts.some((t) => Object.values(t.cells).includes('skipped'));
  const all: { head: string; align: string; cell: (t: ReportTranscript) => string; shown?: boolean }[] = [
    { head: 'Participant', align: '---', cell: (t) => escapeMarkdownCell(t.participant) },
    { head: 'Role', align: '---', cell: (t) => escapeMarkdownCell(t.role ?? ''), shown: hasRoles(g) },
    { head: 'Asked', align: '---:', cell: (t) => `${t.asked}/${t.expected}` },
    { head: 'Coverage', align: '---:', cell: (t) => formatPercent(t.percent) },
    { head: 'Not asked', align: '---', cell: (t) => escapeMarkdownCell(t.missing.join(', ')) || '—' },
    { head: 'Skipped', align: '---', cell: (t) => escapeMarkdownCell(skippedText(t)) || '—', shown: skipped },
    { head: 'File', align: '---', cell: (t) => escapeMarkdownCell(t.file) },
  ];
  const columns = all.filter((c) => c.shown !== false);
  out.push(`| ${columns.map((c) => c.head).join(' | ')} |`, `|${columns.map((c) => c.align).join('|')}|`);
  for (const t of g.transcripts) out.push(`| ${columns.map((c) => c.cell(t)).join(' | ')} |`);
  out.push('');
  out.push('### Questions by transcript', '');
  const header = ['Question', ...g.transcripts.map((t) => escapeMarkdownCell(t.participant)), 'Asked'];
  const table = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : ':---:')).join('|')}|`];
  const depth = depths(g);
  const row = (q: ReportQuestion, level: number): string => {
    const cells = g.transcripts.map((t) => SYMBOL[t.cells[q.id] ?? 'not-expected']);
    const condition = q.condition !== undefined ? ` *(${escapeMarkdownCell(truncate(q.condition, 70))})*` : '';
    return `| ${escapeMarkdownCell(questionLabel(q, level))}: ${escapeMarkdownCell(truncate(q.text, 70))}${condition} | ${cells.join(' | ')} | ${questionTotal(q)} |`;
  };
  for (const s of g.sections) {
    out.push(`#### ${escapeMarkdownCell(s.title || s.id)} (${markdownCode(s.id)})${s.roles.length ? ` — for ${escapeMarkdownCell(s.roles.join(', '))}` : ''}`, '');
    out.push(...table);
    for (const q of s.questions) if (!q.retired) out.push(row(q, depth.get(q.id) ?? 0));
    out.push(`| **Section total** | ${g.transcripts.map(() => '').join(' | ')} | ${ratio(s.asked, s.expected)} |`, '');
  }
  const retired = retiredQuestions(g);
  if (retired.length > 0) {
    out.push('#### Retired questions', '', 'Dropped from the guide: never expected, and counted in no total.', '');
    out.push(...table);
    for (const q of retired) out.push(row(q, 0));
    out.push('');
  }
  return out;
}

/** The transcripts whose guide was not found, as a section of their own (nothing when there are none). */
function unresolvedMarkdown(report: CoverageReport): string[] {
  const lost = report.unresolved ?? [];
  if (lost.length === 0) return [];
  return [
    `## ${UNRESOLVED_HEADING}`, '', unresolvedSentence(lost.length), '', '| Participant | Guide | File |', '|---|---|---|',
    ...lost.map((t) => `| ${escapeMarkdownCell(t.participant)} | ${unresolvedGuide(t, markdownCode)} | ${escapeMarkdownCell(t.file)} |`),
    '',
  ];
}

// ---------------------------------------------------------------- CSV

/**
 * One row per transcript: case data, totals, then one column per question with its cell. A
 * question's column is headed by its ID, with its condition in brackets where it has one; retired
 * questions' columns come last, headed `ID (retired)`. The `role` column is left out when no guide
 * has roles and no transcript names one; `skip reasons` is there when some transcript gives one.
 * Study text is made safe for spreadsheets unless `raw` (see `CsvOptions`).
 */
export function coverageCsv(report: CoverageReport, options: CsvOptions = {}): string {
  const lost = report.unresolved ?? [];
  const attrKeys = [...new Set([...report.guides.flatMap((g) => g.transcripts), ...lost].flatMap((t) => Object.keys(t.attributes)))];
  const questions: ReportQuestion[] = [];
  const seen = new Set<string>();
  for (const g of report.guides) for (const s of g.sections) for (const q of s.questions) if (!seen.has(q.id)) { seen.add(q.id); questions.push(q); }
  questions.sort((a, b) => Number(a.retired === true) - Number(b.retired === true));
  const heading = (q: ReportQuestion): string => {
    const notes = [...(q.retired ? ['retired'] : []), ...(q.condition !== undefined ? [q.condition.replace(/\s+/g, ' ').trim()] : [])];
    return notes.length ? `${q.id} (${notes.join('; ')})` : q.id;
  };
  const roles = report.guides.some(hasRoles) || lost.some((t) => t.role !== null);
  const reasons = report.guides.some((g) => g.transcripts.some((t) => Object.keys(t.skipReasons ?? {}).length > 0));
  // Where some transcript's guide was not found, a column says which rows have no coverage, and why.
  const found = lost.length > 0;
  const rows: string[][] = [[
    'guide', ...(found ? ['guide found'] : []), 'file', 'participant', ...(roles ? ['role'] : []), ...attrKeys, 'asked', 'expected', 'percent',
    ...(reasons ? ['skip reasons'] : []), ...questions.map(heading),
  ]];
  for (const g of report.guides) {
    for (const t of g.transcripts) {
      rows.push([
        g.id, ...(found ? ['yes'] : []), t.file, t.participant, ...(roles ? [t.role ?? ''] : []), ...attrKeys.map((k) => (k in t.attributes ? attributeText(t.attributes[k]) : '')),
        String(t.asked), String(t.expected), t.percent === null ? '' : String(t.percent),
        ...(reasons ? [Object.entries(t.skipReasons ?? {}).map(([id, why]) => `${id}: ${why.replace(/\s+/g, ' ').trim()}`).join('; ')] : []),
        ...questions.map((q) => t.cells[q.id] ?? ''),
      ]);
    }
  }
  for (const t of lost) {
    rows.push([
      t.guide ?? '', 'no', t.file, t.participant, ...(roles ? [t.role ?? ''] : []), ...attrKeys.map((k) => (k in t.attributes ? attributeText(t.attributes[k]) : '')),
      '', '', '', ...(reasons ? [''] : []), ...questions.map(() => ''),
    ]);
  }
  return csvText(rows, options);
}

// ---------------------------------------------------------------- HTML

export interface HtmlOptions {
  /** A Content-Security-Policy for the page's meta tag (the editor's webview passes its own); without it, `ownPolicy`. */
  csp?: string;
  title?: string;
  /** Markup placed before the report (buttons of the editor's view); must already be safe. */
  toolbar?: string;
  /** A nonce for the page's one inline script, if any is given in `script`. */
  nonce?: string;
  script?: string;
}

/**
 * The policy of a page given none, such as `report --format html` saved and opened in a browser: nothing
 * may load, run or be sent anywhere, and the one inline style applies because its hash is named. Study text
 * is escaped anyway; the policy is what holds should some of it ever slip through as markup. A script
 * given with a nonce is allowed by that nonce.
 */
function ownPolicy(options: HtmlOptions): string {
  const script = options.script && options.nonce ? `; script-src 'nonce-${options.nonce}'` : '';
  return `default-src 'none'; style-src '${STYLE_HASH}'${script}; base-uri 'none'; form-action 'none'`;
}

/**
 * A self-contained HTML page: inline styles only, no remote content; colours
 * come from the editor's theme variables where present, else a light palette.
 * Its Content Security Policy is the one given, else its own (`ownPolicy`).
 */
export function coverageHtml(report: CoverageReport, options: HtmlOptions = {}): string {
  const title = options.title ?? 'Coverage report';
  const body: string[] = [];
  if (report.guides.length === 0) body.push('<p>This study has no interview guide (<code>*.guide.yaml</code>), so there is nothing to cover.</p>');
  const none = noTranscriptsSentence(report);
  if (report.filter) body.push(`<p class="summary">Transcripts where ${escapeHtml(filterText(report.filter))}.</p>`);
  for (const g of report.guides) body.push(guideHtml(g, none));
  body.push(unresolvedHtml(report));
  const csp = `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp ?? ownPolicy(options))}">`;
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
  const depth = depths(g);
  const row = (q: ReportQuestion, level: number): string => {
    const cells = g.transcripts.map((t) => {
      const c = t.cells[q.id] ?? 'not-expected';
      const reason = c === 'skipped' ? t.skipReasons?.[q.id] : undefined;
      const why = reason !== undefined ? ` (${reason})` : '';
      return `<td class="cell ${c}" title="${e(`${t.participant}: ${WORD[c]}${why}`)}">${SYMBOL[c]}</td>`;
    }).join('');
    const indent = level > 0 ? ` followup depth-${Math.min(level, MAX_INDENT)}` : '';
    const condition = q.condition !== undefined ? ` <small class="condition">(${e(truncate(q.condition, 80))})</small>` : '';
    return `<tr><th class="question${indent}" title="${e(q.text)}"><code>${e(q.id)}</code> ${e(truncate(q.text, 80))}${condition}${q.optional ? ' <small>(optional)</small>' : ''}</th>${cells}<td class="total">${e(questionTotal(q))}</td></tr>`;
  };
  for (const s of g.sections) {
    parts.push(`<tr class="section"><th colspan="${n + 2}">${e(s.title || s.id)} <small>${e(s.id)}${s.roles.length ? ` · for ${e(s.roles.join(', '))}` : ''}</small></th></tr>`);
    for (const q of s.questions) if (!q.retired) parts.push(row(q, depth.get(q.id) ?? 0));
    parts.push(`<tr class="section-total"><th>Section total</th>${g.transcripts.map(() => '<td></td>').join('')}<td class="total">${e(ratio(s.asked, s.expected))}</td></tr>`);
  }
  const retired = retiredQuestions(g);
  if (retired.length > 0) {
    parts.push(`<tr class="section retired"><th colspan="${n + 2}">Retired questions <small>dropped from the guide: never expected, counted in no total</small></th></tr>`);
    for (const q of retired) parts.push(row(q, 0));
  }
  const totals = g.transcripts.map((t) => `<td class="total">${t.asked}/${t.expected}<br>${e(formatPercent(t.percent))}</td>`).join('');
  parts.push(`</tbody><tfoot><tr><th>Transcript total</th>${totals}<td class="total">${e(ratio(g.asked, g.expected))}</td></tr></tfoot></table>`);
  const skips = g.transcripts.filter((t) => Object.values(t.cells).includes('skipped'));
  if (skips.length > 0) {
    parts.push(`<p class="skipped-list">Skipped questions:</p><ul class="skipped-list">${skips.map((t) => `<li>${e(t.participant)}: ${e(skippedText(t))}</li>`).join('')}</ul>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** The transcripts whose guide was not found, as a section of their own (nothing when there are none). */
function unresolvedHtml(report: CoverageReport): string {
  const lost = report.unresolved ?? [];
  if (lost.length === 0) return '';
  const e = escapeHtml;
  const rows = lost.map((t) => `<tr><td>${e(t.participant)}</td><td>${unresolvedGuide(t, (id) => `<code>${e(id)}</code>`)}</td><td>${e(t.file)}</td></tr>`);
  return [
    `<section class="guide unresolved"><h2>${UNRESOLVED_HEADING}</h2>`,
    `<p class="summary">${e(unresolvedSentence(lost.length)).replace(/`([^`]*)`/g, '<code>$1</code>')}</p>`,
    `<table class="matrix"><thead><tr><th>Participant</th><th>Guide</th><th>File</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n');
}

/** Follow-ups are indented one step per level, up to this many steps. */
const MAX_INDENT = 6;

const STYLE = `
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 14px);
  color: var(--vscode-editor-foreground, #1f2328); background: var(--vscode-editor-background, #fff); margin: 1em 1.5em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.5em; } small { opacity: .7; font-weight: normal; }
table.matrix { border-collapse: collapse; margin: .5em 0 1.5em; }
.matrix th, .matrix td { border: 1px solid var(--vscode-editorWidget-border, #d0d7de); padding: .2em .45em; }
.matrix th.question { text-align: left; font-weight: normal; max-width: 38em; }
.matrix th.depth-1 { padding-left: 1.6em; } .matrix th.depth-2 { padding-left: 2.8em; } .matrix th.depth-3 { padding-left: 4em; }
.matrix th.depth-4 { padding-left: 5.2em; } .matrix th.depth-5 { padding-left: 6.4em; } .matrix th.depth-6 { padding-left: 7.6em; }
.matrix small.condition { font-style: italic; }
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

/** The style's hash, by which the page's own policy lets it apply. */
const STYLE_HASH = cspHash(STYLE);
