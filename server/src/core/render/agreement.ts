/** Agreement between two coders (SPEC §11) as Markdown, CSV and HTML. The JSON form is `wireAgreement`. */
import type { AgreementFigures, AgreementResult, AgreementUnit, Disagreement } from '../agreement';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeHtml, escapeMarkdownCell, markdownCodeCell, truncate } from './escape';
import { plural } from './words';

const UNIT_WORDS: Record<AgreementUnit, string> = {
  character: 'characters (every character of the transcripts\' text, markup left out)',
  paragraph: 'paragraphs (a code applies to a paragraph when one of its passages overlaps it)',
  transcript: 'transcripts (a code applies to a transcript when it is used anywhere in it)',
};

const percent = (p: number | null): string => (p === null ? '—' : `${p.toFixed(1)}%`);
const stat = (k: number | null): string => (k === null ? '—' : k.toFixed(3));
const lines = (d: Disagreement, which: 'rangeA' | 'rangeB'): string => {
  const r = d[which];
  return r.start.line === r.end.line ? `${r.start.line + 1}` : `${r.start.line + 1}–${r.end.line + 1}`;
};

function summary(r: AgreementResult, a: string, b: string): string[] {
  const paired = r.transcripts.filter((t) => t.paired).length;
  return [
    `Coder A: ${a} · coder B: ${b}`,
    `Compared ${plural(paired, 'transcript')}, unit: ${UNIT_WORDS[r.unit]}.`,
  ];
}

/** What was left out: unpaired transcripts and characters the alignment could not pair. */
function notes(r: AgreementResult): string[] {
  const out: string[] = [];
  for (const t of r.transcripts) {
    if (!t.paired) out.push(`${t.file}: ${t.onlyIn ? `only in copy ${t.onlyIn}` : 'could not be read in both copies'}; left out.`);
    else if (t.unalignedCharacters) {
      out.push(`${t.file}: the two copies' texts differ; ${plural(t.unalignedCharacters, 'character')} that could not be aligned ${t.unalignedCharacters === 1 ? 'was' : 'were'} left out.`);
    }
  }
  return out;
}

const FIGURE_HEAD = '| Both | Only A | Only B | Neither | Agreement | Kappa | Alpha |';
const figureCells = (f: AgreementFigures): string => `${f.both} | ${f.onlyA} | ${f.onlyB} | ${f.neither} | ${percent(f.percent)} | ${stat(f.kappa)} | ${stat(f.alpha)} |`;

export function agreementMarkdown(r: AgreementResult, a: string, b: string, title = 'Agreement between coders'): string {
  const out = [`# ${escapeMarkdownCell(title)}`, '', ...summary(r, a, b).map((l) => `${escapeMarkdownCell(l)}  `), ''];
  if (r.codes.length === 0) out.push('Neither coder applied a code in the transcripts compared.', '');
  else {
    out.push(`| Code ${FIGURE_HEAD}`, '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of r.codes) out.push(`| ${markdownCodeCell(c.code)} | ${figureCells(c)}`);
    out.push(`| **All codes** | ${figureCells(r.overall)}`, '');
  }
  const left = notes(r);
  if (left.length) out.push('## Left out', '', ...left.map((l) => `- ${escapeMarkdownCell(l)}`), '');
  out.push('## Disagreements', '');
  if (r.disagreements.length === 0) out.push('None: the coders applied every code to the same units.', '');
  else {
    out.push('| File | Lines (A) | Lines (B) | Code | Applied by | Excerpt |', '|---|---|---|---|---|---|');
    for (const d of r.disagreements) {
      out.push(`| ${escapeMarkdownCell(d.file)} | ${lines(d, 'rangeA')} | ${lines(d, 'rangeB')} | ${markdownCodeCell(d.code)} | ${d.coder} | ${escapeMarkdownCell(truncate(d.excerpt, 160))} |`);
    }
    out.push('');
  }
  return printable(out.join('\n'));
}

/** One row per code and a last `overall` row; `scope` tells them apart, since a code may be named anything. */
export function agreementCsv(r: AgreementResult, options: CsvOptions = {}): string {
  const num = (x: number | null): string => (x === null ? '' : String(x));
  const table = [['scope', 'code', 'both', 'only A', 'only B', 'neither', 'percent', 'kappa', 'alpha']];
  const row = (scope: string, code: string, f: AgreementFigures): string[] =>
    [scope, code, String(f.both), String(f.onlyA), String(f.onlyB), String(f.neither), num(f.percent), num(f.kappa), num(f.alpha)];
  for (const c of r.codes) table.push(row('code', c.code, c));
  table.push(row('overall', '', r.overall));
  return csvText(table, options);
}

/** Shading of a kappa (Landis and Koch's bands), for the HTML table. */
function band(k: number | null): string {
  if (k === null) return 'none';
  if (k > 0.8) return 'high';
  if (k > 0.6) return 'good';
  if (k > 0.4) return 'fair';
  return 'low';
}

export function agreementHtml(r: AgreementResult, a: string, b: string, title = 'Agreement between coders'): string {
  const e = escapeHtml;
  const cells = (f: AgreementFigures): string =>
    `<td>${f.both}</td><td>${f.onlyA}</td><td>${f.onlyB}</td><td>${f.neither}</td><td>${e(percent(f.percent))}</td><td class="k ${band(f.kappa)}">${e(stat(f.kappa))}</td><td>${e(stat(f.alpha))}</td>`;
  const body: string[] = summary(r, a, b).map((l) => `<p class="summary">${e(l)}</p>`);
  if (r.codes.length === 0) body.push('<p>Neither coder applied a code in the transcripts compared.</p>');
  else {
    body.push('<table><thead><tr><th>Code</th><th>Both</th><th>Only A</th><th>Only B</th><th>Neither</th><th>Agreement</th><th>Kappa</th><th>Alpha</th></tr></thead><tbody>');
    for (const c of r.codes) body.push(`<tr><th><code>${e(c.code)}</code></th>${cells(c)}</tr>`);
    body.push(`</tbody><tfoot><tr><th>All codes</th>${cells(r.overall)}</tr></tfoot></table>`);
  }
  const left = notes(r);
  if (left.length) body.push('<h2>Left out</h2><ul>', ...left.map((l) => `<li>${e(l)}</li>`), '</ul>');
  body.push('<h2>Disagreements</h2>');
  if (r.disagreements.length === 0) body.push('<p>None: the coders applied every code to the same units.</p>');
  else {
    body.push('<table><thead><tr><th>File</th><th>Lines (A)</th><th>Lines (B)</th><th>Code</th><th>Applied by</th><th>Excerpt</th></tr></thead><tbody>');
    for (const d of r.disagreements) {
      body.push(`<tr><td>${e(d.file)}</td><td>${lines(d, 'rangeA')}</td><td>${lines(d, 'rangeB')}</td><td><code>${e(d.code)}</code></td><td>${d.coder}</td><td class="excerpt">${e(truncate(d.excerpt, 400))}</td></tr>`);
    }
    body.push('</tbody></table>');
  }
  return printable(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
${body.join('\n')}
<p class="legend">Agreement: the share of units on which both coders made the same choice. Kappa (Cohen) and alpha (Krippendorff) correct it for agreement expected by chance; — where a figure cannot be computed (a code applied to every unit, or to none, by both coders). Kappa shading: <span class="k high">above 0.8</span> <span class="k good">0.6–0.8</span> <span class="k fair">0.4–0.6</span> <span class="k low">0.4 or less</span>.</p>
</body>
</html>
`);
}

const STYLE = `
body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #1d1d1d); background: var(--vscode-editor-background, #fff); margin: 1.5em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid var(--vscode-panel-border, #ccc); padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
.excerpt { white-space: pre-wrap; max-width: 40em; }
.k.high { background: #2e7d3240; } .k.good { background: #9ccc6540; } .k.fair { background: #ffca2840; } .k.low { background: #e5393540; }
.summary, .legend { color: var(--vscode-descriptionForeground, #555); }
`;
