/**
 * How names are compared: ignoring case and accents. A name is folded by decomposing it (NFD),
 * dropping the combining marks and lower-casing it, with runs of spaces made one space. The matcher
 * does not fold the transcript (that would move every offset): for each folded letter it matches
 * any letter of the text that folds to it, accented or not, in either case.
 */

const MARKS = /\p{M}/gu;

/** A name (or a word of the text) as it is compared: no accents, lower case, single spaces. */
export function foldName(s: string): string {
  return s.normalize('NFD').replace(MARKS, '').toLowerCase().replace(/\s+/g, ' ').replace(/[’‘]/g, "'").trim();
}

/**
 * Folded letter → every character that folds to it. Built once from the Latin blocks, where the
 * accented letters of names written in European languages live; any other character matches itself.
 */
let variants: Map<string, string[]> | undefined;

function variantTable(): Map<string, string[]> {
  if (variants) return variants;
  variants = new Map();
  const ranges: [number, number][] = [[0x41, 0x5a], [0x61, 0x7a], [0xc0, 0x24f], [0x1e00, 0x1eff]];
  for (const [from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const c = String.fromCodePoint(cp);
      const folded = foldName(c);
      if (folded.length !== 1 || folded === c) continue;
      const list = variants.get(folded) ?? [folded];
      if (!list.includes(c)) list.push(c);
      variants.set(folded, list);
    }
  }
  return variants;
}

/** A character as a regular expression matches it literally: letters and digits as they are, anything else by its code point. */
function escapeChar(c: string): string {
  return /^[\p{L}\p{N}]$/u.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`;
}

const escapeClassChar = escapeChar;

/** A regular-expression piece matching one folded character as the text may write it. */
export function charPattern(c: string): string {
  if (c === ' ') return '[^\\S\\r\\n]+';
  if (c === "'") return "['’‘]";
  const list = variantTable().get(c);
  if (!list || list.length === 1) {
    const upper = c.toUpperCase();
    return upper !== c && upper.length === 1 ? `[${escapeClassChar(c)}${escapeClassChar(upper)}]` : escapeChar(c);
  }
  return `[${list.map(escapeClassChar).join('')}]`;
}
