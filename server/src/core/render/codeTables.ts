/** Code counts and coded segments as Markdown and CSV. */
import { attributeText } from '../study';
import type { CodeCountRow, SegmentRow } from '../counts';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeMarkdownCell, markdownCodeCell, truncate } from './escape';

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

export function segmentsMarkdown(rows: SegmentRow[], title = 'Coded segments'): string {
  const out = [`# ${escapeMarkdownCell(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No coded segments.', ''].join('\n'));
  out.push('| Code | Participant | Question | Lines | Excerpt | File |', '|---|---|---|---|---|---|');
  for (const r of rows) {
    const lines = r.range.start.line === r.range.end.line ? `${r.range.start.line + 1}` : `${r.range.start.line + 1}–${r.range.end.line + 1}`;
    out.push(`| ${markdownCodeCell(r.code)} | ${escapeMarkdownCell(r.participant)} | ${r.questions.length ? r.questions.map(markdownCodeCell).join(', ') : '—'} | ${lines} | ${escapeMarkdownCell(truncate(r.excerpt, 160))} | ${escapeMarkdownCell(r.file)} |`);
  }
  out.push('');
  return printable(out.join('\n'));
}

/**
 * The segments CSV of SPEC §7: file, participant, case attributes, question, code, start and end line, text.
 * A segment in an answer region shared by several markers names all their questions, separated by `; `.
 */
export function segmentsCsv(rows: SegmentRow[], options: CsvOptions = {}): string {
  const attrKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attributes)))];
  const table = [['file', 'participant', 'role', ...attrKeys, 'question', 'code', 'start line', 'end line', 'text']];
  for (const r of rows) {
    table.push([r.file, r.participant, r.role ?? '', ...attrKeys.map((k) => (k in r.attributes ? attributeText(r.attributes[k]) : '')), r.questions.join('; '), r.code,
      String(r.range.start.line + 1), String(r.range.end.line + 1), r.excerpt]);
  }
  return csvText(table, options);
}
