/**
 * Finding listed names in a text in one pass: every folded name (and every part of three letters or
 * more of a multi-word name) goes into a trie, and the trie becomes one regular expression whose
 * letters each match their accented and upper-case forms. A text is searched once, whatever the
 * number of names; the longest name wins where several start at one place ("Kai Brennan" before
 * "Kai").
 */
import { charPattern, foldName } from './fold';
import type { NameEntry } from './names';

/** What a matched word stands for: never the listed name, only what may be shown or written instead. */
export interface NameTarget {
  /** True when the word is one part of a listed multi-word name, not a whole listed name. */
  part: boolean;
  /** The replacement, when the list gives one that is not ambiguous. */
  pseudonym?: string;
  /** True when the word belongs to several listed names with different pseudonyms. */
  ambiguous?: boolean;
}

export interface NameMatch {
  start: number;
  end: number;
  target: NameTarget;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;

function letters(s: string): number {
  return s.match(/\p{L}/gu)?.length ?? 0;
}

export class NameMatcher {
  private readonly targets = new Map<string, NameTarget>();
  private readonly pattern: RegExp | undefined;

  /** How many names the list holds (for reports; never which). */
  readonly size: number;

  constructor(entries: readonly NameEntry[]) {
    this.size = entries.length;
    const folded = entries.map((e) => ({ key: foldName(e.name), pseudonym: e.pseudonym }));
    for (const { key, pseudonym } of folded) {
      if (!key) continue;
      const had = this.targets.get(key);
      if (!had) this.targets.set(key, { part: false, pseudonym });
      else if (had.pseudonym !== pseudonym) this.targets.set(key, { part: false, ambiguous: true });
    }
    // A word that some pseudonym uses is not taken as part of a real name: once the study is
    // pseudonymised, the pseudonyms must not be flagged (or replaced) again.
    const pseudonymWords = new Set(folded.flatMap((f) => (f.pseudonym ? foldName(f.pseudonym).split(' ') : [])));
    for (const { key, pseudonym } of folded) {
      const parts = key.split(' ');
      if (parts.length < 2) continue;
      const pseudoParts = pseudonym?.trim().split(/\s+/);
      parts.forEach((p, i) => {
        if (letters(p) < 3 || pseudonymWords.has(p)) return;
        const had = this.targets.get(p);
        if (had && !had.part) return; // a whole listed name wins over a part of another
        // A part maps to the matching part of the pseudonym when both have as many words, else to all of it.
        const wanted = pseudonym === undefined ? undefined : pseudoParts!.length === parts.length ? pseudoParts![i] : pseudonym.trim();
        if (!had) this.targets.set(p, { part: true, pseudonym: wanted });
        else if (had.pseudonym !== wanted) this.targets.set(p, { part: true, ambiguous: true });
      });
    }
    this.pattern = this.targets.size ? new RegExp(trieSource([...this.targets.keys()]), 'gu') : undefined;
  }

  /**
   * Every listed name in `text` between `from` and `to`, in order, as whole words. A match that
   * `accept` refuses (one that overlaps markup, say) is dropped and the search goes on from the
   * character after its start, so that a shorter name inside it can still be found.
   */
  find(text: string, from = 0, to = text.length, accept?: (start: number, end: number) => boolean): NameMatch[] {
    const out: NameMatch[] = [];
    const re = this.pattern;
    if (!re) return out;
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (end > to) break;
      if (start > 0 && WORD_CHAR.test(charBefore(text, start))) {
        re.lastIndex = start + 1;
        continue;
      }
      if (accept && !accept(start, end)) {
        re.lastIndex = start + 1;
        continue;
      }
      const target = this.targets.get(foldName(m[0]));
      if (target) out.push({ start, end, target });
      if (m[0].length === 0) re.lastIndex++;
    }
    return out;
  }
}

function charBefore(text: string, i: number): string {
  const c = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
}

/** The regular-expression source of a trie of folded names; each name ends at a word boundary. */
function trieSource(keys: string[]): string {
  const root: TrieNode = { next: new Map(), end: false };
  for (const k of keys) {
    let n = root;
    for (const c of k) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { next: new Map(), end: false }));
      n = child;
    }
    n.end = true;
  }
  const emit = (n: TrieNode): string => {
    const alts: string[] = [];
    for (const [c, child] of n.next) alts.push(charPattern(c) + (c === ' ' ? '' : '\\p{M}*') + emit(child));
    // Last, so that a longer name starting here is tried first.
    if (n.end) alts.push('(?![\\p{L}\\p{N}\\p{M}_])');
    return alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
  };
  return emit(root);
}
