/** Code counts and coded segments as Markdown and CSV. */
import type { CodeCountRow, SegmentRow } from '../counts';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeMarkdownCell as md, truncate } from './escape';

function depth(path: string): number {
  let n = 0;
  for (const ch of path) if (ch === '/') n++;
  return n;
}

export function codeCountsMarkdown(rows: CodeCountRow[], title = 'Code counts'): string {
  const out = [`# ${md(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No codes: the study has no codebook (*.codebook.yaml) and no coded passages yet.', ''].join('\n'));
  const known = rows.filter((r) => r.known);
  const unknown = rows.filter((r) => !r.known);
  out.push('| Code | Label | Segments | Transcripts | With sub-codes: segments | With sub-codes: transcripts |', '|---|---|---:|---:|---:|---:|');
  for (const r of known) {
    const indent = '&nbsp;&nbsp;'.repeat(depth(r.code));
    out.push(`| ${indent}\`${r.code}\`${r.deprecated ? ' (deprecated)' : ''} | ${md(r.label)} | ${r.segments} | ${r.transcripts} | ${r.totalSegments} | ${r.totalTranscripts} |`);
  }
  out.push('');
  if (unknown.length) {
    out.push('## Not in codebook', '', '| Code | Segments | Transcripts |', '|---|---:|---:|');
    for (const r of unknown) out.push(`| \`${r.code}\` | ${r.segments} | ${r.transcripts} |`);
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
  const out = [`# ${md(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No coded segments.', ''].join('\n'));
  out.push('| Code | Participant | Question | Lines | Excerpt | File |', '|---|---|---|---|---|---|');
  for (const r of rows) {
    const lines = r.range.start.line === r.range.end.line ? `${r.range.start.line + 1}` : `${r.range.start.line + 1}–${r.range.end.line + 1}`;
    out.push(`| \`${r.code}\` | ${md(r.participant)} | ${r.question ? `\`${r.question}\`` : '—'} | ${lines} | ${md(truncate(r.excerpt, 160))} | ${md(r.file)} |`);
  }
  out.push('');
  return printable(out.join('\n'));
}

/** The segments CSV of SPEC §7: file, participant, case attributes, question, code, start and end line, text. */
export function segmentsCsv(rows: SegmentRow[], options: CsvOptions = {}): string {
  const attrKeys = [...new Set(rows.flatMap((r) => Object.keys(r.attributes)))];
  const table = [['file', 'participant', 'role', ...attrKeys, 'question', 'code', 'start line', 'end line', 'text']];
  for (const r of rows) {
    table.push([r.file, r.participant, r.role ?? '', ...attrKeys.map((k) => r.attributes[k] ?? ''), r.question ?? '', r.code,
      String(r.range.start.line + 1), String(r.range.end.line + 1), r.excerpt]);
  }
  return csvText(table, options);
}
