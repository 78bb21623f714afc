/**
 * How names are compared: ignoring case and accents. A name is folded by decomposing it (NFD),
 * dropping the combining marks and lower-casing it, with runs of spaces made one space and curly
 * apostrophes straight. The matcher folds the transcript one character at a time the same way
 * (matcher.ts), so offsets never move.
 */

const MARKS = /\p{M}/gu;

/** A name (or a word of the text) as it is compared: no accents, lower case, single spaces. */
export function foldName(s: string): string {
  return s.normalize('NFD').replace(MARKS, '').toLowerCase().replace(/\s+/g, ' ').replace(/[’‘]/g, "'").trim();
}
