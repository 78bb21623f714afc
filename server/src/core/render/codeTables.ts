/** Code counts and coded segments as Markdown and CSV. */
import { attributeText } from '../study';
import type { CodeCountRow, SegmentRow } from '../counts';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeHtml, escapeMarkdownCell, escapeMarkdownText, markdownCode, markdownCodeCell, truncate } from './escape';

/**
 * How deep each known code stands in the tree, from its parent links: not from
 * the `/`s of its path, which an ID written with a `/` (reported, but kept) would skew.
 */
function depths(rows: readonly CodeCountRow[]): Map<string, number> {
  const parents = new Map(rows.map((r) => [r.code, r.parent]));
  const out = new Map<string, number>();
  const depthOf = (code: string): number => {
    let d = out.get(code);
    if (d !== undefined) return d;
    const parent = parents.get(code);
    // A parent's path is a strict prefix of its child's, so the walk up always ends.
    d = parent ? depthOf(parent) + 1 : 0;
    out.set(code, d);
    return d;
  };
  for (const r of rows) depthOf(r.code);
  return out;
}

export function codeCountsMarkdown(rows: CodeCountRow[], title = 'Code counts'): string {
  const out = [`# ${escapeMarkdownCell(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No codes: the study has no codebook (*.codebook.yaml) and no coded passages yet.', ''].join('\n'));
  const known = rows.filter((r) => r.known);
  const unknown = rows.filter((r) => !r.known);
  const depth = depths(known);
  out.push('| Code | Label | Segments | Transcripts | With sub-codes: segments | With sub-codes: transcripts |', '|---|---|---:|---:|---:|---:|');
  for (const r of known) {
    const indent = '&nbsp;&nbsp;'.repeat(depth.get(r.code) ?? 0);
    out.push(`| ${indent}${markdownCodeCell(r.code)}${r.deprecated ? ' (deprecated)' : ''} | ${escapeMarkdownCell(r.label)} | ${r.segments} | ${r.transcripts} | ${r.totalSegments} | ${r.totalTranscripts} |`);
  }
  out.push('');
  if (unknown.length) {
    out.push('## Not in codebook', '', '| Code | Segments | Transcripts |', '|---|---:|---:|');
    for (const r of unknown) out.push(`| ${markdownCodeCell(r.code)} | ${r.segments} | ${r.transcripts} |`);
    out.push('');
  }
  return printable(out.join('\n'));
}

/** Code counts as CSV; study text is made safe for spreadsheets unless `raw` (see `CsvOptions`). */
export function codeCountsCsv(rows: CodeCountRow[], options: CsvOptions = {}): string {
  const table = [['code', 'label', 'known', 'parent', 'deprecated', 'segments', 'transcripts', 'totalSegments', 'totalTranscripts']];
  for (const r of rows) {
    table.push([r.code, r.label, String(r.known), r.parent ?? '', String(r.deprecated), String(r.segments), String(r.transcripts), String(r.totalSegments), String(r.totalTranscripts)]);
  }
  return csvText(table, options);
}

function linesOf(r: SegmentRow): string {
  return r.range.start.line === r.range.end.line ? `${r.range.start.line + 1}` : `${r.range.start.line + 1}–${r.range.end.line + 1}`;
}

export function segmentsMarkdown(rows: SegmentRow[], title = 'Coded segments'): string {
  const out = [`# ${escapeMarkdownCell(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No coded segments.', ''].join('\n'));
  if (rows.some((r) => r.before !== undefined || r.after !== undefined)) return segmentsInContext(rows, out);
  out.push('| Code | Participant | Question | Lines | Excerpt | File |', '|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| ${markdownCodeCell(r.code)} | ${escapeMarkdownCell(r.participant)} | ${r.questions.length ? r.questions.map(markdownCodeCell).join(', ') : '—'} | ${linesOf(r)} | ${escapeMarkdownCell(truncate(r.excerpt, 160))} | ${escapeMarkdownCell(r.file)} |`);
  }
  out.push('');
  return printable(out.join('\n'));
}

/** Segments with the paragraphs around them: too long for a table, so one section per passage, the passage in bold. */
function segmentsInContext(rows: SegmentRow[], out: string[]): string {
  const para = (text: string): string => text.split('\n').map(escapeMarkdownText).join('  \n');
  for (const r of rows) {
    const questions = r.questions.length ? `, ${r.questions.map(markdownCode).join(', ')}` : '';
    out.push(`## ${markdownCode(r.code)}: ${escapeMarkdownText(r.participant)}${questions} (${escapeMarkdownText(r.file)}, line ${linesOf(r)})`, '');
    for (const b of r.before ?? []) out.push(para(b), '');
    out.push(r.excerpt.split('\n').map((l) => `> **${escapeMarkdownText(l)}**`).join('  \n'), '');
    for (const a of r.after ?? []) out.push(para(a), '');
  }
  return printable(out.join('\n'));
}

/** Segments as a page of their own (`segments --format html`), with the paragraphs around them when asked for. */
export function segmentsHtml(rows: SegmentRow[], title = 'Coded segments'): string {
  const context = rows.some((r) => r.before !== undefined || r.after !== undefined);
  const paras = (list: string[] | undefined): string => (list ?? []).map((p) => `<p class="context">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
  const body = rows.map((r) => `<tr><td><code>${escapeHtml(r.code)}</code></td><td>${escapeHtml(r.participant)}</td><td>${r.questions.map((q) => `<code>${escapeHtml(q)}</code>`).join(', ') || '—'}</td><td>${linesOf(r)}</td>` +
    `<td>${paras(r.before)}<p><strong>${escapeHtml(r.excerpt).replace(/\n/g, '<br>')}</strong></p>${paras(r.after)}</td><td>${escapeHtml(r.file)}</td></tr>`).join('\n');
  return printable(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body { font-family: system-ui, sans-serif; } table { border-collapse: collapse; } th, td { border: 1px solid #8884; padding: 0.2em 0.5em; vertical-align: top; text-align: left; } p { margin: 0.2em 0; } .context { opacity: 0.75; }</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${rows.length === 0 ? '<p>No coded segments.</p>' : `<table>
<thead><tr><th scope="col">Code</th><th scope="col">Participant</th><th scope="col">Question</th><th scope="col">Lines</th><th scope="col">${context ? 'Passage, with the paragraphs around it' : 'Passage'}</th><th scope="col">File</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`}
</body>
</html>
`);
}

/**
 * The segments CSV of SPEC §7: file, participant, case attributes, question, code, start and end line, text.
 * A segment in an answer region shared by several markers names all their questions, separated by `; `.
 */
export function segmentsCsv(rows: SegmentRow[], options: CsvOptions = {}): string {
  const attrKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attributes)))];
  // With `--context`, the paragraphs before and after, separated by a blank line.
  const context = rows.some((r) => r.before !== undefined || r.after !== undefined);
  const table = [['file', 'participant', 'role', ...attrKeys, 'question', 'code', 'start line', 'end line', 'text', ...(context ? ['before', 'after'] : [])]];
  for (const r of rows) {
    table.push([r.file, r.participant, r.role ?? '', ...attrKeys.map((k) => (k in r.attributes ? attributeText(r.attributes[k]) : '')), r.questions.join('; '), r.code,
      String(r.range.start.line + 1), String(r.range.end.line + 1), r.excerpt, ...(context ? [(r.before ?? []).join('\n\n'), (r.after ?? []).join('\n\n')] : [])]);
  }
  return csvText(table, options);
}
