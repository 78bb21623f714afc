/**
 * Positions. The core works in UTF-16 offsets into a document's text (what a
 * JavaScript string indexes, and what LSP counts by default); a `LineIndex`
 * turns them into line/character positions without keeping the text itself.
 */

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span [start, end) of UTF-16 offsets. */
export interface OffsetRange {
  start: number;
  end: number;
}

/**
 * Where `LineIndex` collects line offsets before copying them out at their exact number: reused (indexing is
 * synchronous) and grown as needed, so that indexing a text allocates nothing but what it keeps.
 */
let scratchStarts: Uint32Array = new Uint32Array(1024);
let scratchEnds: Uint32Array = new Uint32Array(1024);

function grown(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Line starts of a text. Line breaks are `\r\n`, `\n` or a lone `\r`, as in LSP.
 * Keeps only the starts (4 bytes a line) so models of unopened files stay small.
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: Uint32Array;
  /** Offset just past the last character of each line, line break excluded. */
  readonly ends: Uint32Array;
  readonly length: number;

  constructor(text: string) {
    let starts = scratchStarts;
    let ends = scratchEnds;
    let count = 0; // lines whose end is known
    const n = text.length;
    let i = 0;
    // The next LF and CR at or after `i`, each searched again only once passed: searching
    // from every line would rescan the rest of a text that has none, for every line (quadratic).
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (i < n) {
      if (lf >= 0 && lf < i) lf = text.indexOf('\n', i);
      if (cr >= 0 && cr < i) cr = text.indexOf('\r', i);
      const nl = cr < 0 ? lf : lf < 0 ? cr : Math.min(lf, cr);
      if (nl < 0) break;
      if (count + 2 > starts.length) {
        starts = grown(starts);
        ends = grown(ends);
        scratchStarts = starts;
        scratchEnds = ends;
      }
      ends[count] = nl;
      const after = text.charCodeAt(nl) === 13 && text.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
      starts[++count] = after;
      i = after;
    }
    starts[0] = 0;
    ends[count++] = n;
    // Both in one allocation: typed arrays are slow to allocate, and a study makes thousands.
    const both = new Uint32Array(count * 2);
    both.set(starts.subarray(0, count));
    both.set(ends.subarray(0, count), count);
    this.starts = both.subarray(0, count);
    this.ends = both.subarray(count);
    this.length = n;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The line holding `offset` (a line break belongs to the line it ends). */
  lineAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    const line = this.lineAt(o);
    const character = Math.min(o, this.ends[line]) - this.starts[line];
    return { line, character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.length;
    const start = this.starts[position.line];
    const end = this.ends[position.line];
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The whole of line `line`, line break excluded. */
  lineRange(line: number): Range {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    return this.range(this.starts[l], this.ends[l]);
  }
}

/** Number of Unicode code points in `text.slice(start, end)` (astral characters count once). */
export function codePointLength(text: string, start = 0, end = text.length): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** The code-point offset of UTF-16 offset `offset` in `text`. */
export function toCodePointOffset(text: string, offset: number): number {
  return codePointLength(text, 0, Math.min(offset, text.length));
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function containsOffset(r: OffsetRange, offset: number): boolean {
  return offset >= r.start && offset <= r.end;
}
