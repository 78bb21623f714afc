/**
 * A transcript as the plain text other QDA tools receive: the interview text
 * without front matter and without markup (question markers, codes, span braces,
 * memos, the backslashes of escapes), speaker labels kept, line breaks as `\n`.
 * Alongside it, a map from offsets in the transcript to offsets in the plain
 * text, so coded segments can be placed on it.
 */
import type { TranscriptModel } from '../model';
import { isBlankChar } from '../transcript';

export interface PlainText {
  /** The plain text (ends with `\n` unless empty). */
  text: string;
  /**
   * The plain-text range, in UTF-16 units, of the transcript range [start, end):
   * whitespace at either end trimmed; empty (start === end) when nothing is left.
   */
  range(start: number, end: number): { start: number; end: number };
  /** Code-point offset of a UTF-16 offset into `text` (REFI-QDA counts code points). */
  codePoints(offset: number): number;
  /** UTF-16 offset into `text` of code point `codePoint` (the inverse of `codePoints`; clamped to the end). */
  unitOffset(codePoint: number): number;
  /**
   * The transcript offset of the plain text's UTF-16 unit at `offset`: the character it was copied from
   * (the line break that ends a line, for the `\n` that joins two lines).
   */
  sourceOffset(offset: number): number;
}

/**
 * The markup of the transcript as sorted, disjoint half-open intervals, flattened: [s0, e0, s1, e1, …].
 * Markup is a few hundred intervals where the text is tens of thousands of units, so the text is walked
 * a kept run at a time, never a unit at a time.
 */
function markupIntervals(text: string, model: TranscriptModel): Int32Array {
  const raw: [number, number][] = [];
  const cut = (s: number, e: number): void => {
    const a = Math.max(0, s), b = Math.min(text.length, e);
    if (b > a) raw.push([a, b]);
  };
  for (const m of model.memos) cut(m.start, m.end);
  for (const m of model.markers) cut(m.start, m.end);
  for (const c of model.codes) cut(c.start, c.end);
  for (const e of model.escapes) cut(e, e + 1);
  for (const s of model.spans) {
    cut(s.open, s.open + 1);
    if (s.close >= 0) cut(s.close, s.close + 1);
  }
  raw.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of raw) {
    const n = out.length;
    if (n > 0 && s <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], e);
    else out.push(s, e);
  }
  return Int32Array.from(out);
}

/** A growable list of kept runs: transcript units [src, src + len) copied to plain offsets [dst, dst + len). */
class Runs {
  src = new Int32Array(64);
  dst = new Int32Array(64);
  len = new Int32Array(64);
  count = 0;

  push(src: number, dst: number, len: number): void {
    if (this.count === this.src.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
      this.src = grow(this.src); this.dst = grow(this.dst); this.len = grow(this.len);
    }
    this.src[this.count] = src; this.dst[this.count] = dst; this.len[this.count] = len;
    this.count++;
  }
}

export function plainTextOf(text: string, model: TranscriptModel): PlainText {
  const { lines } = model;
  const markup = markupIntervals(text, model);
  const first = lines.lineAt(model.bodyStart);
  const contents: string[] = [];
  const hadMarkup: boolean[] = [];
  // Each line's kept runs, offsets relative to the line's plain content; `lineRuns[k]` is where line k's begin.
  const rel = new Runs();
  const lineRuns: number[] = [];
  let m = 0; // the first markup interval that may reach the current line

  for (let l = first; l < lines.lineCount; l++) {
    const ls = Math.max(lines.starts[l], model.bodyStart);
    const le = lines.ends[l];
    lineRuns.push(rel.count);
    // Kept characters are copied a run at a time: one string per run, not one per character.
    const pieces: string[] = [];
    let length = 0;
    let gap = false;
    // After markup that followed a blank (or the line start), the blanks that follow it go too,
    // so `I: @q Text` reads `I: Text`, not `I:  Text`.
    let blankBefore = true;
    let dropBlanks = false;
    while (m < markup.length && markup[m + 1] <= ls) m += 2;
    let i = ls;
    while (i < le) {
      // The markup interval at or after i, within the line.
      const ms = m < markup.length ? Math.max(markup[m], ls) : le;
      if (ms <= i) {
        gap = true;
        if (blankBefore) dropBlanks = true;
        i = Math.min(markup[m + 1], le);
        if (markup[m + 1] <= le) m += 2;
        continue;
      }
      const end = Math.min(ms, le);
      let s = i;
      if (dropBlanks) {
        while (s < end && isBlankChar(text.charCodeAt(s))) s++;
        if (s < end) dropBlanks = false;
      }
      if (s < end) {
        rel.push(s, length, end - s);
        pieces.push(text.slice(s, end));
        length += end - s;
        blankBefore = isBlankChar(text.charCodeAt(end - 1));
      }
      i = end;
    }
    const out = pieces.length === 1 ? pieces[0] : pieces.join('');
    let n = out.length;
    while (n > 0 && isBlankChar(out.charCodeAt(n - 1))) n--;
    contents.push(out.slice(0, n));
    hadMarkup.push(gap);
  }
  lineRuns.push(rel.count);

  // Which lines stay: a line that markup alone filled goes, and blank lines never pile up.
  const kept: boolean[] = [];
  let lastKeptBlank = true; // at the start, as if after a blank line: no leading blank lines
  for (let k = 0; k < contents.length; k++) {
    const blank = contents[k].trim() === '';
    const keep = blank ? !hadMarkup[k] && !lastKeptBlank : true;
    kept.push(keep);
    if (keep) lastKeptBlank = blank;
  }
  // No trailing blank lines either.
  for (let k = contents.length - 1; k >= 0 && (!kept[k] || contents[k].trim() === ''); k--) kept[k] = false;

  // Absolute runs: kept lines are joined by `\n`. Every unit maps to `dst + min(unit - src, len)` of the
  // last run at or before it: a run of length 0 opens each kept line, so markup and blanks map to the end
  // of the text kept before them, and the units of a dropped line to the end of the text kept before it.
  const runs = new Runs();
  let base = 0;
  let started = false;
  const parts: string[] = [];
  for (let k = 0; k < contents.length; k++) {
    if (!kept[k]) continue;
    if (started) base += 1; // the `\n` before this line
    started = true;
    const len = contents[k].length;
    runs.push(Math.max(lines.starts[first + k], model.bodyStart), base, 0);
    for (let r = lineRuns[k]; r < lineRuns[k + 1]; r++) {
      const d = rel.dst[r];
      if (d >= len) break; // trailing blanks, trimmed
      runs.push(rel.src[r], base + d, Math.min(rel.len[r], len - d));
    }
    parts.push(contents[k]);
    base += len;
  }
  const plain = parts.length ? `${parts.join('\n')}\n` : '';
  const { src, dst, len: rlen, count } = runs;

  /** The plain offset of transcript unit `i` (units before the body map to 0). */
  const pos = (i: number): number => {
    let lo = 0, hi = count;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (src[mid] <= i) lo = mid + 1; else hi = mid; }
    if (lo === 0) return 0;
    const r = lo - 1;
    return dst[r] + Math.min(i - src[r], rlen[r]);
  };

  // UTF-16 offset ↔ code points, for the REFI positions: only surrogate pairs make them differ, and they
  // are rare, so their offsets are kept rather than a table over the whole text.
  const pairs: number[] = [];
  const surrogatePair = /[\ud800-\udbff][\udc00-\udfff]/g;
  for (let hit = surrogatePair.exec(plain); hit; hit = surrogatePair.exec(plain)) pairs.push(hit.index);
  /** How many pairs have their low surrogate at or before offset `x`. */
  const pairsUpTo = (x: number): number => {
    let lo = 0, hi = pairs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (pairs[mid] + 1 <= x) lo = mid + 1; else hi = mid; }
    return lo;
  };

  const isSpace = (c: number): boolean => c === 10 || isBlankChar(c);
  return {
    text: plain,
    range(start, end) {
      let s = pos(Math.max(0, Math.min(start, text.length)));
      let e = pos(Math.max(0, Math.min(end, text.length)));
      while (s < e && isSpace(plain.charCodeAt(s))) s++;
      while (e > s && isSpace(plain.charCodeAt(e - 1))) e--;
      return { start: s, end: e };
    },
    codePoints(offset) {
      const o = Math.max(0, Math.min(offset, plain.length));
      return pairs.length === 0 ? o : o - pairsUpTo(o);
    },
    unitOffset(codePoint) {
      // Pair j (in order) starts at code point pairs[j] - j.
      let lo = 0, hi = pairs.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (pairs[mid] - mid < codePoint) lo = mid + 1; else hi = mid; }
      return Math.min(codePoint + lo, plain.length);
    },
    sourceOffset(offset) {
      // The plain offset never decreases along the transcript, and markup before a character maps where the
      // character does: the character is the last unit that maps at or before `offset`.
      let lo = 0, hi = text.length + 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (pos(mid) <= offset) lo = mid + 1; else hi = mid; }
      return Math.max(0, Math.min(lo - 1, text.length));
    },
  };
}
