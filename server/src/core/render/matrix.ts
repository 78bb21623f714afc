/**
 * The analysis tables of SPEC §10 as Markdown, CSV and HTML. A cell reads `segments (transcripts)`; in CSV each
 * column has two columns, `KEY segments` and `KEY transcripts`, so that a spreadsheet can sum them.
 */
import { NONE, type Matrix, type MatrixCell } from '../matrix';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeHtml, escapeMarkdownCell, markdownCodeCell } from './escape';

const BY_TITLE: Record<string, string> = {
  question: 'Codes by question', transcript: 'Codes by transcript', code: 'Codes that occur together',
};

export function matrixTitle(m: Matrix): string {
  return BY_TITLE[m.by] ?? `Codes by ${m.by}`;
}

function cellText(c: MatrixCell): string {
  return c.segments === 0 ? '·' : `${c.segments} (${c.transcripts})`;
}

function columnHeading(c: Matrix['columns'][number]): string {
  return c.size !== undefined ? `${c.label} (n=${c.size})` : c.label;
}

function explanation(m: Matrix): string {
  const counted = m.exact ? 'each code alone' : 'each code with its sub-codes';
  const what = m.by === 'code'
    ? 'Each cell counts pairs of overlapping coded passages in one transcript; the diagonal counts the code\'s passages'
    : 'Each cell counts coded passages';
  return `${what} (${counted}), with the number of transcripts they come from in brackets.${m.columns.some((c) => c.key === NONE) ? ` ${NONE}: transcripts without \`${m.by}\`.` : ''}`;
}

export function matrixMarkdown(m: Matrix): string {
  const out = [`# ${escapeMarkdownCell(matrixTitle(m))}`, ''];
  if (m.rows.length === 0 || m.columns.length === 0) return printable([...out, 'Nothing to count: no coded passages in these transcripts.', ''].join('\n'));
  out.push(escapeMarkdownCell(explanation(m)), '');
  out.push(`| Code | ${m.columns.map((c) => escapeMarkdownCell(columnHeading(c))).join(' | ')} |`, `|---|${m.columns.map(() => '---:').join('|')}|`);
  for (const r of m.rows) {
    const indent = '&nbsp;&nbsp;'.repeat(r.depth);
    out.push(`| ${indent}${markdownCodeCell(r.code)}${r.known ? '' : ' (not in codebook)'} | ${m.columns.map((c) => cellText(r.cells[c.key])).join(' | ')} |`);
  }
  out.push('');
  return printable(out.join('\n'));
}

export function matrixCsv(m: Matrix, options: CsvOptions = {}): string {
  const table = [['code', 'label', 'known', 'depth', ...m.columns.flatMap((c) => [`${c.key} segments`, `${c.key} transcripts`])]];
  if (m.columns.some((c) => c.size !== undefined)) table.push(['(transcripts in group)', '', '', '', ...m.columns.flatMap((c) => [String(c.size ?? ''), ''])]);
  for (const r of m.rows) {
    table.push([r.code, r.label, String(r.known), String(r.depth), ...m.columns.flatMap((c) => [String(r.cells[c.key].segments), String(r.cells[c.key].transcripts)])]);
  }
  return csvText(table, options);
}

export function matrixHtml(m: Matrix): string {
  const max = Math.max(1, ...m.rows.flatMap((r) => m.columns.map((c) => r.cells[c.key].segments)));
  const head = m.columns.map((c) => `<th scope="col">${escapeHtml(columnHeading(c))}</th>`).join('');
  const rows = m.rows.map((r) => {
    const cells = m.columns.map((c) => {
      const cell = r.cells[c.key];
      // Shaded by value, a heat map that is still a table.
      const shade = cell.segments === 0 ? '' : ` style="background: rgba(60, 120, 200, ${(0.1 + 0.6 * cell.segments / max).toFixed(2)})"`;
      return `<td${shade}>${escapeHtml(cellText(cell))}</td>`;
    }).join('');
    return `<tr><th scope="row" style="padding-left: ${0.5 + r.depth * 1.2}em"><code>${escapeHtml(r.code)}</code>${r.known ? '' : ' (not in codebook)'}</th>${cells}</tr>`;
  }).join('\n');
  return printable(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(matrixTitle(m))}</title>
<style>body { font-family: system-ui, sans-serif; } table { border-collapse: collapse; } th, td { border: 1px solid #8884; padding: 0.2em 0.5em; } td { text-align: right; } th[scope=row] { text-align: left; font-weight: normal; }</style>
</head>
<body>
<h1>${escapeHtml(matrixTitle(m))}</h1>
<p>${escapeHtml(explanation(m).replace(/`/g, ''))}</p>
<table>
<thead><tr><th scope="col">Code</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`);
}
