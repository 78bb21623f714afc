/** Memos (SPEC §10) as Markdown and CSV. */
import type { MemoRow } from '../memos';
import { printable } from '../printable';
import { csvText, type CsvOptions } from './csv';
import { escapeMarkdownCell, markdownCodeCell } from './escape';

export function memosMarkdown(rows: MemoRow[], title = 'Memos'): string {
  const out = [`# ${escapeMarkdownCell(title)}`, ''];
  if (rows.length === 0) return printable([...out, 'No memos.', ''].join('\n'));
  out.push('| File | Participant | Line | Question | Codes | Memo |', '|---|---|---:|---|---|---|');
  for (const r of rows) {
    out.push(`| ${escapeMarkdownCell(r.file)} | ${escapeMarkdownCell(r.participant)} | ${r.range.start.line + 1} | ${r.questions.length ? r.questions.map(markdownCodeCell).join(', ') : '—'} | ${r.codes.length ? r.codes.map(markdownCodeCell).join(', ') : '—'} | ${escapeMarkdownCell(r.text)} |`);
  }
  out.push('');
  return printable(out.join('\n'));
}

/** Memos as CSV: questions and codes each joined by `; `; study text made safe for spreadsheets unless `raw`. */
export function memosCsv(rows: MemoRow[], options: CsvOptions = {}): string {
  const table = [['file', 'participant', 'role', 'line', 'question', 'codes', 'memo']];
  for (const r of rows) table.push([r.file, r.participant, r.role ?? '', String(r.range.start.line + 1), r.questions.join('; '), r.codes.join('; '), r.text]);
  return csvText(table, options);
}
