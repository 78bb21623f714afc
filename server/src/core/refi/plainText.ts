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
  /**
   * The transcript offset of the plain text's UTF-16 unit at `offset`: the character it was copied from
   * (the line break that ends a line, for the `\n` that joins two lines).
   */
  sourceOffset(offset: number): number;
}

/** Marks every UTF-16 unit of the transcript that is markup rather than interview text. */
function markupMask(text: string, model: TranscriptModel): Uint8Array {
  const removed = new Uint8Array(text.length);
  const cut = (s: number, e: number): void => { removed.fill(1, Math.max(0, s), Math.min(text.length, e)); };
  for (const m of model.memos) cut(m.start, m.end);
  for (const m of model.markers) cut(m.start, m.end);
  for (const c of model.codes) cut(c.start, c.end);
  for (const e of model.escapes) cut(e, e + 1);
  for (const s of model.spans) {
    cut(s.open, s.open + 1);
    if (s.close >= 0) cut(s.close, s.close + 1);
  }
  return removed;
}

export function plainTextOf(text: string, model: TranscriptModel): PlainText {
  const { lines } = model;
  const removed = markupMask(text, model);
  // Offset of each transcript unit within its line's plain content (then made absolute).
  const pos = new Int32Array(text.length + 1);
  const first = lines.lineAt(model.bodyStart);
  const contents: string[] = [];
  const hadMarkup: boolean[] = [];

  for (let l = first; l < lines.lineCount; l++) {
    const ls = Math.max(lines.starts[l], model.bodyStart);
    const le = lines.ends[l];
    // Kept characters are copied a run at a time: one string per run, not one per character.
    const pieces: string[] = [];
    let length = 0;
    let runStart = ls;
    let runEnd = ls;
    let gap = false;
    // After markup that followed a blank (or the line start), the blanks that follow it go too,
    // so `I: @q Text` reads `I: Text`, not `I:  Text`.
    let blankBefore = true;
    let dropBlanks = false;
    for (let i = ls; i < le; i++) {
      pos[i] = length;
      if (removed[i]) {
        gap = true;
        if (blankBefore) dropBlanks = true;
        continue;
      }
      const c = text.charCodeAt(i);
      if (isBlankChar(c)) {
        if (dropBlanks) continue;
        blankBefore = true;
      } else {
        blankBefore = false;
        dropBlanks = false;
      }
      if (i !== runEnd) {
        if (runEnd > runStart) pieces.push(text.slice(runStart, runEnd));
        runStart = i;
      }
      runEnd = i + 1;
      length++;
    }
    if (runEnd > runStart) pieces.push(text.slice(runStart, runEnd));
    const out = pieces.length === 1 ? pieces[0] : pieces.join('');
    pos[le] = out.length;
    let n = out.length;
    while (n > 0 && isBlankChar(out.charCodeAt(n - 1))) n--;
    contents.push(out.slice(0, n));
    hadMarkup.push(gap);
  }

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

  // Absolute offsets: kept lines are joined by `\n`; a unit of a dropped line maps to the end of the text kept before it.
  let base = 0;
  let started = false;
  const parts: string[] = [];
  for (let k = 0; k < contents.length; k++) {
    const l = first + k;
    const ls = Math.max(lines.starts[l], model.bodyStart);
    const le = lines.ends[l];
    const next = l + 1 < lines.lineCount ? lines.starts[l + 1] : text.length + 1;
    if (kept[k]) {
      if (started) base += 1; // the `\n` before this line
      started = true;
      const len = contents[k].length;
      for (let i = ls; i <= le; i++) pos[i] = base + Math.min(pos[i], len);
      for (let i = le + 1; i < next && i <= text.length; i++) pos[i] = base + len;
      parts.push(contents[k]);
      base += len;
    } else {
      for (let i = ls; i < next && i <= text.length; i++) pos[i] = base;
    }
  }
  for (let i = 0; i < Math.min(model.bodyStart, text.length + 1); i++) pos[i] = 0;
  const plain = parts.length ? `${parts.join('\n')}\n` : '';

  // UTF-16 offset → code points, for the REFI positions.
  const cp = new Int32Array(plain.length + 1);
  let count = 0;
  for (let i = 0; i < plain.length; i++) {
    cp[i] = count;
    const c = plain.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < plain.length) {
      const d = plain.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { cp[++i] = count; }
    }
    count++;
  }
  cp[plain.length] = count;

  const isSpace = (c: number): boolean => c === 10 || isBlankChar(c);
  return {
    text: plain,
    range(start, end) {
      let s = pos[Math.max(0, Math.min(start, text.length))];
      let e = pos[Math.max(0, Math.min(end, text.length))];
      while (s < e && isSpace(plain.charCodeAt(s))) s++;
      while (e > s && isSpace(plain.charCodeAt(e - 1))) e--;
      return { start: s, end: e };
    },
    codePoints: (offset) => cp[Math.max(0, Math.min(offset, plain.length))],
    sourceOffset(offset) {
      // `pos` never decreases, and markup before a character maps where the character does: the
      // character is the last unit that maps at or before `offset`.
      let lo = 0, hi = text.length + 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (pos[mid] <= offset) lo = mid + 1; else hi = mid; }
      return Math.max(0, Math.min(lo - 1, text.length));
    },
  };
}
