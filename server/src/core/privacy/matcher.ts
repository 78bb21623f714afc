/**
 * Finding listed names in a text in one pass (SPEC §13). Every folded name (and every part of three
 * letters or more of a multi-word name) goes into a trie; the text is read once, character by
 * character, each character folded through a table (lower case, accents dropped, `’` as `'`), and at
 * the start of each word that may begin a name the trie is walked for as long as the text follows it. The longest name ending at a
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

/**
 * Words that make up place and organisation names but identify nothing on their own: the `Close` of
 * `Juniper Close` or the `Primary` of `Dunmore Primary` is not looked for alone (it would flag every
 * "close" and "primary" of every interview); the distinctive part (`Juniper`, `Dunmore`) and the whole
 * name still are. A word on its own line of the list is still looked for.
 */
const GENERIC_PARTS = new Set([
  'the', 'and', 'mrs', 'miss', 'mister', 'doctor', 'saint', 'sir', 'lady', 'lord', 'family',
  'road', 'street', 'lane', 'close', 'court', 'avenue', 'drive', 'way', 'place', 'square', 'crescent', 'terrace',
  'grove', 'row', 'walk', 'mews', 'gardens', 'garden', 'park', 'green', 'hill', 'view', 'rise', 'gate', 'yard',
  'house', 'estate', 'flats', 'tower', 'towers', 'building', 'farm', 'hall', 'church', 'chapel', 'mosque', 'temple',
  'school', 'primary', 'secondary', 'junior', 'infant', 'infants', 'nursery', 'academy', 'college', 'university',
  'high', 'grammar', 'community', 'centre', 'center', 'children', 'childrens', "children's", 'surgery', 'hospital',
  'clinic', 'practice', 'medical', 'health', 'unit', 'ward', 'team', 'office', 'services', 'service', 'council',
  'borough', 'county', 'city', 'town', 'village', 'north', 'south', 'east', 'west', 'upper', 'lower', 'new', 'old',
  'great', 'little', 'police', 'station', 'library', 'club', 'trust', 'foundation', 'home', 'homes',
]);

function letters(s: string): number {
  return s.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * Which words can start a listed name: a bit per hash of a word's folded characters (`wordHash`), set
 * for the first word of every key. The text is read word by word, and the trie is walked only from a
 * word whose hash is set: a plain word of a transcript costs its characters' table lookups and one bit
 * test. Hashes that collide only cost a walk that finds nothing.
 */
const HEAD_BITS = 20;
const HEAD_MASK = (1 << HEAD_BITS) - 1;

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] |= 1 << (i & 7);
}

/** The hash `find` computes for a word: its folded characters (marks left out), as the table folds them. */
function wordHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) {
    const e = entry(key.charCodeAt(i));
    if ((e & WORD) === 0) break;
    if ((e & MARK) === 0) h = (Math.imul(h, 31) + (e & FOLDED)) | 0;
  }
  return h;
}

function entry(code: number): number {
  const e = characterTable()[code];
  return e === UNKNOWN ? entryOf(code) : e;
}

export class NameMatcher {
  private readonly targets: NameTarget[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly trie = new Trie();
  private readonly heads = new Uint8Array((1 << HEAD_BITS) >> 3);

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
        if (letters(p) < 3 || pseudonymWords.has(p) || GENERIC_PARTS.has(p)) return;
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
      setBit(this.heads, wordHash(key) & HEAD_MASK);
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
    const heads = this.heads;
    let i = from;
    // A word that runs on from before `from` does not start there.
    if (from > 0 && (entry(text.charCodeAt(from - 1)) & WORD) !== 0 && !isLowSurrogateAt(text, from - 1)) {
      while (i < to && (entry(text.charCodeAt(i)) & WORD) !== 0) i++;
    }
    let after = i; // the end of the last name found: no name starts before it
    for (let n = wordStartsToTry(text, i, to, heads), k = 0; k < n; k++) {
      const start = candidates[k];
      if (start < after) continue;
      const found = this.longestAt(text, start, to);
      if (found < 0) continue;
      const end = this.matchEnd;
      if (accept && !accept(start, end)) continue;
      out.push({ start, end, target: this.targets[found] });
      after = end;
    }
    return out;
  }

  /** Set by `longestAt`: where the name it found ends. */
  private matchEnd = -1;

  /**
   * The target of the longest listed name that starts at `i` and ends at a word boundary (its end in
   * `matchEnd`), or -1: the trie followed for as long as the text goes with it.
   */
  private longestAt(text: string, i: number, to: number): number {
    const trie = this.trie;
    let s = trie.next(0, entry(text.charCodeAt(i)) & FOLDED);
    if (s < 0) return -1;
    let j = i + 1;
    let best = -1;
    let bestTarget = -1;
    for (;;) {
      while (j < to && entry(text.charCodeAt(j)) & MARK) j++;
      const t = trie.terminal[s];
      if (t !== 0 && (j >= text.length || (entry(text.charCodeAt(j)) & WORD) === 0)) {
        best = j;
        bestTarget = t - 1;
      }
      if (j >= to) break;
      const f = entry(text.charCodeAt(j));
      if (f & SPACE) {
        const n = trie.next(s, 0x20);
        if (n < 0) break;
        s = n;
        while (j < to && entry(text.charCodeAt(j)) & SPACE) j++;
        continue;
      }
      const n = trie.next(s, f & FOLDED);
      if (n < 0) break;
      s = n;
      j++;
    }
    this.matchEnd = best;
    return bestTarget;
  }
}

/** The starts of the words `wordStartsToTry` found, in order (grown as needed). */
let candidates = new Int32Array(1024);

/**
 * The hot loop, on its own so that it compiles to a tight loop: one table lookup per character of
 * `text` from `from` to `to`, one bit test per word. Writes the start of every word whose hash is set in
 * `heads` (a listed name may start there) into `candidates`, and returns how many.
 */
function wordStartsToTry(text: string, from: number, to: number, heads: Uint8Array): number {
  const tab = characterTable();
  let n = 0;
  let wordStart = -1;
  let hash = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    let e = tab[c];
    if (e === UNKNOWN) e = entryOf(c);
    if ((e & WORD) !== 0) {
      if (wordStart < 0) { wordStart = i; hash = 0; }
      if ((e & MARK) === 0) hash = (Math.imul(hash, 31) + (e & FOLDED)) | 0;
    } else if (wordStart >= 0) {
      if ((heads[(hash & HEAD_MASK) >> 3] & (1 << (hash & 7))) !== 0) n = addCandidate(n, wordStart);
      wordStart = -1;
    }
  }
  if (wordStart >= 0 && (heads[(hash & HEAD_MASK) >> 3] & (1 << (hash & 7))) !== 0) n = addCandidate(n, wordStart);
  return n;
}

function addCandidate(n: number, start: number): number {
  if (n === candidates.length) {
    const grown = new Int32Array(n * 2);
    grown.set(candidates);
    candidates = grown;
  }
  candidates[n] = start;
  return n + 1;
}

function isLowSurrogateAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}
