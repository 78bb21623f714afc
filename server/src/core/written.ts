/** Whether a value read from YAML is written plainly, so that an edit of its characters changes it alone. */
import type { Written } from './model';

/**
 * How the value at [start, end) of `text` is written: undefined when those characters are exactly `value`
 * (a plain scalar on one line, or one in quotes without escapes), else `block` (a block scalar, whose
 * offsets start at its `|` or `>`) or `escaped` (escape sequences, doubled quotes, folded line breaks).
 */
export function writtenAs(text: string, start: number, end: number, value: string): Written | undefined {
  if (end - start === value.length && text.startsWith(value, start)) return undefined;
  const c = text.charCodeAt(start);
  return c === 124 /* | */ || c === 62 /* > */ ? 'block' : 'escaped';
}
