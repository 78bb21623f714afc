/**
 * Escaping of study text for the formats the core writes. Every piece of study
 * text (a label, a title, an ID, a file name, an excerpt) that goes into Markdown
 * or HTML goes through one of these, chosen by where it lands: study files are
 * written by people and may hold anything, and a hover or report must show their
 * words, never run them as markup.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Characters that start inline Markdown wherever they stand: emphasis, code,
 * links and images, HTML, table pipes, strikethrough, and an entity such as
 * `&lt;` (which would show as another character than the one written).
 */
const INLINE = /[\\`*[\]<>|~]|&(?=#?[\p{L}\p{N}]+;)/gu;

/** The same, and `_` where it could start or end emphasis: `_` inside a word (`job_title`) cannot in CommonMark. */
const INLINE_TEXT = new RegExp(`${INLINE.source}|(?<![\\p{L}\\p{N}])_|_(?![\\p{L}\\p{N}])`, 'gu');

/**
 * Text safe inside a Markdown table cell: one line, and every character that
 * could start markup escaped. Also for text that must stay on one line, such as a heading.
 */
export function escapeMarkdownCell(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(INLINE, '\\$&').replace(/_/g, '\\_');
}

/**
 * Text safe in running Markdown (hovers, completion details): what would start
 * markup is escaped, nothing else changes. Line breaks are kept; a line that
 * would read as a heading, a rule or a heading's underline is escaped, while a
 * list the writer typed stays a list.
 */
export function escapeMarkdownText(s: string): string {
  return s
    // Word-inner `_` is left as it is: it keeps plain-text floats (Neovim) clean.
    .replace(INLINE_TEXT, '\\$&')
    .replace(/^([ \t]*)#/gm, '$1\\#')
    .replace(/^([ \t]*)([-=])(?=[-= \t]*$)/gm, '$1\\$2');
}

/**
 * An inline code span holding `s` exactly: its fence is longer than any run of
 * backticks inside, so no study text can close it early; inside a code span
 * nothing else is markup. Line breaks become spaces (a code span is one line).
 */
export function markdownCode(s: string): string {
  const text = s.replace(/\r\n|\r|\n/g, ' ');
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // A space next to the fence keeps a backtick in the text from joining it, and one at each end
  // is what CommonMark strips, so text that itself starts and ends with a space keeps them.
  const pad = text.startsWith('`') || text.endsWith('`') || (text.length > 1 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text === '' ? ' ' : text}${pad}${fence}`;
}

/** A code span inside a Markdown table cell: a `|` would end the cell even in a code span, so it is escaped. */
export function markdownCodeCell(s: string): string {
  return markdownCode(s).replace(/\|/g, '\\|');
}

export function truncate(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
