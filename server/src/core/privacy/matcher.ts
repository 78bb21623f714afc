/**
 * Finding listed names in a text in one pass (SPEC §13). Every folded name (and every part of three
 * letters or more of a multi-word name) goes into a trie; the text is read once, character by
 * character, each character folded through a table (lower case, accents dropped, `’` as `'`), and at
 * each word start the trie is walked for as long as the text follows it. The longest name ending at a
 * word boundary wins ("Kai Brennan" before "Kai"). No string is made and no regular expression runs
 * per character: the cost is a table lookup per character, whatever the number of names.
 */
import { foldName } from './fold';
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

// ---------------------------------------------------------------- character table

/** Bits of a character's entry: its folded code unit in the low 16 bits, then what kind of character it is. */
const WORD = 1 << 16;
const MARK = 1 << 17;
const SPACE = 1 << 18;
const UNKNOWN = -1;
const FOLDED = 0xffff;

/** UTF-16 code unit → its entry, computed the first time the unit is seen. */
let table: Int32Array | undefined;

const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]$/u;
const MARK_CHAR = /^\p{M}$/u;

function entryOf(code: number): number {
  const t = table!;
  const known = t[code];
  if (known !== UNKNOWN) return known;
  const c = String.fromCharCode(code);
  let e: number;
  if (code === 0x20 || code === 0x09 || code === 0xa0) e = SPACE | 0x20;
  else if (code === 0x2019 || code === 0x2018) e = 0x27;
  else if (code >= 0xd800 && code <= 0xdfff) e = code; // half of an astral character: no letter this table knows
  else if (MARK_CHAR.test(c)) e = MARK | WORD | code;
  else if (WORD_CHAR.test(c)) {
    const f = foldName(c);
    e = WORD | (f.length === 1 ? f.charCodeAt(0) : c.toLowerCase().length === 1 ? c.toLowerCase().charCodeAt(0) : code);
  } else e = code;
  t[code] = e;
  return e;
}

function characterTable(): Int32Array {
  if (!table) table = new Int32Array(0x10000).fill(UNKNOWN);
  return table;
}

// ---------------------------------------------------------------- the trie

/** How many ASCII transitions each state keeps in its dense row; others go in a map. */
const ROW = 128;

class Trie {
  /** Dense transitions on ASCII folded characters: `dense[state * ROW + c]` is the next state + 1, or 0. */
  private dense = new Int32Array(ROW * 64);
  private readonly sparse = new Map<number, number>();
  /** Per state: the target's index + 1 when a name ends there, else 0. */
  terminal: number[] = [0];
  private states = 1;

  next(state: number, c: number): number {
    if (c < ROW) return this.dense[state * ROW + c] - 1;
    return this.sparse.get(state * 0x10000 + c) ?? -1;
  }

  add(key: string, target: number): void {
    let s = 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let n = this.next(s, c);
      if (n < 0) {
        n = this.states++;
        this.terminal.push(0);
        // Every state has its dense row, so that `next` never reads past the table.
        if (this.states * ROW > this.dense.length) {
          const grown = new Int32Array(Math.max(this.dense.length * 2, this.states * ROW));
          grown.set(this.dense);
          this.dense = grown;
        }
        if (c < ROW) this.dense[s * ROW + c] = n + 1;
        else this.sparse.set(s * 0x10000 + c, n);
      }
      s = n;
    }
    this.terminal[s] = target + 1;
  }
}

function letters(s: string): number {
  return s.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * Which words can start a listed name, by their first three folded letters: the trie is walked only
 * from a word whose start is in here (most words of a transcript are not, so most cost one lookup).
 * Keys whose start is not three ASCII letters are kept by their first one or two letters instead.
 */
class StartFilter {
  private readonly three = new Uint8Array((1 << 21) >> 3);
  private readonly two = new Uint8Array((1 << 14) >> 3);
  private readonly one = new Uint8Array(1 << 4);

  add(key: string): void {
    const [a, b, c] = [key.charCodeAt(0), key.charCodeAt(1), key.charCodeAt(2)];
    const letter = (x: number): boolean => x > 0x20 && x < 0x80;
    if (!letter(a)) return; // started by a character outside ASCII: such words are always walked
    if (key.length >= 2 && letter(b)) {
      if (key.length >= 3 && letter(c)) setBit(this.three, (a << 14) | (b << 7) | c);
      else setBit(this.two, (a << 7) | b);
    } else setBit(this.one, a);
  }

  /** Whether a word starting with these folded letters (each < 0x80) may start a listed name. */
  has(a: number, b: number, c: number): boolean {
    return getBit(this.one, a) || getBit(this.two, (a << 7) | b) || getBit(this.three, (a << 14) | (b << 7) | c);
  }
}

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] |= 1 << (i & 7);
}

function getBit(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

export class NameMatcher {
  private readonly targets: NameTarget[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly trie = new Trie();
  private readonly starts = new StartFilter();

  /** How many names the list holds (for reports; never which). */
  readonly size: number;

  constructor(entries: readonly NameEntry[]) {
    this.size = entries.length;
    const folded = entries.map((e) => ({ key: foldName(e.name), pseudonym: e.pseudonym }));
    const set = (key: string, t: NameTarget): void => {
      const i = this.byKey.get(key);
      if (i === undefined) {
        this.byKey.set(key, this.targets.length);
        this.targets.push(t);
      } else this.targets[i] = t;
    };
    for (const { key, pseudonym } of folded) {
      if (!key) continue;
      const had = this.target(key);
      if (!had) set(key, { part: false, pseudonym });
      else if (had.pseudonym !== pseudonym) set(key, { part: false, ambiguous: true });
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
        const had = this.target(p);
        if (had && !had.part) return; // a whole listed name wins over a part of another
        // A part maps to the matching part of the pseudonym when both have as many words, else to all of it.
        const wanted = pseudonym === undefined ? undefined : pseudoParts!.length === parts.length ? pseudoParts![i] : pseudonym.trim();
        if (!had) set(p, { part: true, pseudonym: wanted });
        else if (had.pseudonym !== wanted) set(p, { part: true, ambiguous: true });
      });
    }
    for (const [key, i] of this.byKey) {
      this.trie.add(key, i);
      this.starts.add(key);
    }
  }

  private target(key: string): NameTarget | undefined {
    const i = this.byKey.get(key);
    return i === undefined ? undefined : this.targets[i];
  }

  /**
   * Every listed name in `text` between `from` and `to`, in order, as whole words. A match that
   * `accept` refuses (one that overlaps markup, say) is dropped and the search goes on from the
   * next word start inside it, so that a shorter name there can still be found.
   */
  find(text: string, from = 0, to = text.length, accept?: (start: number, end: number) => boolean): NameMatch[] {
    const out: NameMatch[] = [];
    if (this.targets.length === 0) return out;
    const tab = characterTable();
    const trie = this.trie;
    const starts = this.starts;
    const at = (k: number): number => {
      const c = text.charCodeAt(k);
      const e = tab[c];
      return e === UNKNOWN ? entryOf(c) : e;
    };
    let prevWord = from > 0 && (at(from - 1) & WORD) !== 0 && !isLowSurrogateAt(text, from - 1);
    for (let i = from; i < to; i++) {
      // The hot loop: one table lookup per character that is not at a word start.
      const c0 = text.charCodeAt(i);
      let e = tab[c0];
      if (e === UNKNOWN) e = entryOf(c0);
      if ((e & WORD) === 0) {
        prevWord = false;
        continue;
      }
      if (prevWord) continue;
      prevWord = true;
      // A word starts at i. Its first three letters decide whether a name may start here, when they are plain.
      const a = e & FOLDED;
      if (a < 0x80 && i + 2 < to) {
        const c1 = text.charCodeAt(i + 1);
        let e2 = tab[c1];
        if (e2 === UNKNOWN) e2 = entryOf(c1);
        const c2 = text.charCodeAt(i + 2);
        let e3 = tab[c2];
        if (e3 === UNKNOWN) e3 = entryOf(c2);
        const b = e2 & FOLDED;
        const c = e3 & FOLDED;
        if (b < 0x80 && c < 0x80 && ((e2 | e3) & (MARK | SPACE)) === 0 && !starts.has(a, b, c)) continue;
      }
      // Follow the trie as far as the text goes with it.
      let s = trie.next(0, a);
      if (s < 0) continue;
      let j = i + 1;
      let best = -1;
      let bestTarget = 0;
      for (;;) {
        while (j < to && at(j) & MARK) j++;
        const t = trie.terminal[s];
        if (t !== 0 && (j >= text.length || (at(j) & WORD) === 0)) {
          best = j;
          bestTarget = t - 1;
        }
        if (j >= to) break;
        const f = at(j);
        if (f & SPACE) {
          const n = trie.next(s, 0x20);
          if (n < 0) break;
          s = n;
          while (j < to && at(j) & SPACE) j++;
          continue;
        }
        const n = trie.next(s, f & FOLDED);
        if (n < 0) break;
        s = n;
        j++;
      }
      if (best < 0) continue;
      if (accept && !accept(i, best)) continue;
      out.push({ start: i, end: best, target: this.targets[bestTarget] });
      // Go on after the name; the character there is no word character.
      i = best - 1;
      prevWord = false;
    }
    return out;
  }
}

function isLowSurrogateAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}
