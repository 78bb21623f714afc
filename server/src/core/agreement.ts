/**
 * Agreement between two coders (SPEC §11): two copies of a study, their transcripts paired by path,
 * compared unit by unit — code points of the plain text (`character`), paragraphs or whole transcripts —
 * for every code either coder used, with percent agreement, Cohen's kappa and Krippendorff's alpha, and
 * every maximal run of units on which they differ.
 *
 * Coded units are never listed one by one: each coder's segments of a code become a sorted list of
 * disjoint code-point intervals, placed on a common axis (the aligned characters of the pair), and the
 * counts are lengths of intersections. So the work per pair is the text's length once (its plain text)
 * plus the segments, whatever the number of codes.
 */
import diff from 'fast-diff';
import type { TranscriptModel } from './model';
import { plainTextOf, type PlainText } from './refi/plainText';
import { distinctSegments } from './study';
import type { Range } from './text';
import { excerptOf } from './transcript';

export type AgreementUnit = 'character' | 'paragraph' | 'transcript';
export const AGREEMENT_UNITS: readonly AgreementUnit[] = ['character', 'paragraph', 'transcript'];

export type Coder = 'A' | 'B';

/** The four counts of units and the three statistics made from them (null where undefined). */
export interface AgreementFigures {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  percent: number | null;
  kappa: number | null;
  alpha: number | null;
}

export interface AgreementRow extends AgreementFigures {
  code: string;
}

export interface AgreementTranscript {
  file: string;
  paired: boolean;
  /** For a transcript that is in one copy only: which. */
  onlyIn?: Coder;
  /** Units of this pair that were compared. */
  alignedUnits?: number;
  /** Characters of either copy that the alignment could not pair, left out of the comparison. */
  unalignedCharacters?: number;
}

export interface Disagreement {
  file: string;
  code: string;
  /** The coder who applied the code; the other did not. */
  coder: Coder;
  rangeA: Range;
  rangeB: Range;
  /** The passage as the coder who applied the code reads it. */
  excerpt: string;
}

export interface AgreementResult {
  unit: AgreementUnit;
  transcripts: AgreementTranscript[];
  codes: AgreementRow[];
  overall: AgreementFigures;
  disagreements: Disagreement[];
}

/** One copy of a transcript: its text and the model parsed from that text. */
export interface TranscriptCopy {
  text: string;
  model: TranscriptModel;
}

export interface AgreementOptions {
  unit?: AgreementUnit;
  /** Keep these codes and their descendants only (all codes when empty or absent). */
  codes?: readonly string[];
}

/** The statistics of §11 from the four counts. Exact integer arithmetic decides which are undefined. */
export function agreementFigures(both: number, onlyA: number, onlyB: number, neither: number): AgreementFigures {
  const n = both + onlyA + onlyB + neither;
  const N = BigInt(n);
  const yesA = BigInt(both + onlyA), yesB = BigInt(both + onlyB);
  const noA = N - yesA, noB = N - yesB;
  // κ = (pₒ − pₑ)/(1 − pₑ), multiplied through by N².
  const chance = yesA * yesB + noA * noB;
  const kappaDen = N * N - chance;
  const kappaNum = N * BigInt(both + neither) - chance;
  // α = 1 − (n − 1)·d/(n₀·n₁) with n = 2N.
  const d = BigInt(onlyA + onlyB);
  const n0 = 2n * BigInt(neither) + d, n1 = 2n * BigInt(both) + d;
  const alphaDen = n0 * n1;
  return {
    both, onlyA, onlyB, neither,
    percent: n === 0 ? null : (100 * (both + neither)) / n,
    kappa: kappaDen === 0n ? null : ratio(kappaNum, kappaDen),
    alpha: alphaDen === 0n ? null : ratio(alphaDen - (2n * N - 1n) * d, alphaDen),
  };
}

/** num/den as a number, precise even when both are beyond 2⁵³. */
function ratio(num: bigint, den: bigint): number {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (num <= safe && -num <= safe && den <= safe && -den <= safe) return Number(num) / Number(den);
  const whole = num / den;
  const rest = num - whole * den;
  return Number(whole) + Number((rest * 10n ** 18n) / den) / 1e18;
}

/** Whether `code` is kept by the `--code` filter: one of `roots` or below one. */
export function keptCode(code: string, roots: readonly string[] | undefined): boolean {
  if (!roots || roots.length === 0) return true;
  return roots.some((r) => code === r || code.startsWith(`${r}/`));
}

/**
 * Compares two copies of a study. `filesA` and `filesB` are each copy's transcript paths; `read` gives a
 * transcript of one copy (undefined when it could not be read: the pair is then left out, as unpaired).
 * Transcripts are read a pair at a time, so memory holds one pair whatever the study's size.
 */
export function compareCopies(
  filesA: readonly string[], filesB: readonly string[],
  read: (coder: Coder, file: string) => TranscriptCopy | undefined,
  options: AgreementOptions = {},
): AgreementResult {
  const steps = comparingCopies(filesA, filesB, read, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `compareCopies` one pair at a time: the generator stops after each transcript and returns the
 * result at the end, so that the language server can yield between pairs and stop when cancelled.
 */
export function* comparingCopies(
  filesA: readonly string[], filesB: readonly string[],
  read: (coder: Coder, file: string) => TranscriptCopy | undefined,
  options: AgreementOptions = {},
): Generator<void, AgreementResult> {
  const unit = options.unit ?? 'character';
  const inB = new Set(filesB);
  const inA = new Set(filesA);
  const all = [...new Set([...filesA, ...filesB])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const transcripts: AgreementTranscript[] = [];
  const totals = new Map<string, { both: number; onlyA: number; onlyB: number }>();
  const disagreements: Disagreement[] = [];
  let units = 0;
  for (const file of all) {
    if (!inA.has(file) || !inB.has(file)) {
      transcripts.push({ file, paired: false, onlyIn: inA.has(file) ? 'A' : 'B' });
      continue;
    }
    const a = read('A', file);
    const b = read('B', file);
    if (!a || !b) {
      transcripts.push({ file, paired: false });
      continue;
    }
    const pair = comparePair(file, a, b, unit, options.codes);
    units += pair.units;
    transcripts.push({ file, paired: true, alignedUnits: pair.units, unalignedCharacters: pair.unaligned });
    for (const [code, c] of pair.counts) {
      const t = totals.get(code) ?? { both: 0, onlyA: 0, onlyB: 0 };
      t.both += c.both; t.onlyA += c.onlyA; t.onlyB += c.onlyB;
      totals.set(code, t);
    }
    for (const d of pair.disagreements) disagreements.push(d);
    yield;
  }
  const codes = [...totals.keys()].sort().map((code) => {
    const t = totals.get(code)!;
    return { code, ...agreementFigures(t.both, t.onlyA, t.onlyB, units - t.both - t.onlyA - t.onlyB) };
  });
  const sum = (k: 'both' | 'onlyA' | 'onlyB' | 'neither'): number => codes.reduce((s, r) => s + r[k], 0);
  return {
    unit, transcripts, codes,
    overall: agreementFigures(sum('both'), sum('onlyA'), sum('onlyB'), sum('neither')),
    disagreements,
  };
}

// ---------------------------------------------------------------- one pair

/** Sorted, disjoint, non-empty half-open intervals, flattened: [s0, e0, s1, e1, …]. */
type Intervals = number[];

/**
 * The aligned stretches of a pair: block k holds `len[k]` code points at `at[k]` in A and `bt[k]` in B,
 * and at `u[k]` on the common axis (the aligned characters, in order).
 */
interface Alignment {
  at: number[];
  bt: number[];
  len: number[];
  u: number[];
  /** Length of the common axis. */
  total: number;
}

class Side {
  readonly plain: PlainText;
  readonly length: number;

  constructor(readonly copy: TranscriptCopy) {
    this.plain = plainTextOf(copy.text, copy.model);
    this.length = this.plain.codePoints(this.plain.text.length);
  }

  /** Code-point interval of the transcript range [start, end) on the plain text (trimmed; maybe empty). */
  cpRange(start: number, end: number): [number, number] {
    const r = this.plain.range(start, end);
    return [this.plain.codePoints(r.start), this.plain.codePoints(r.end)];
  }

  /** The transcript range of the plain code points [s, e). */
  sourceRange(s: number, e: number): Range {
    const lines = this.copy.model.lines;
    const start = this.plain.sourceOffset(this.plain.unitOffset(clamp(s, this.length)));
    if (e <= s) return lines.range(start, start);
    const end = this.plain.sourceOffset(this.plain.unitOffset(clamp(e, this.length)) - 1) + 1;
    return lines.range(start, Math.max(start, end));
  }

  excerpt(r: Range): string {
    const lines = this.copy.model.lines;
    return excerptOf(this.copy.text, this.copy.model, lines.offsetAt(r.start), lines.offsetAt(r.end));
  }
}

const clamp = (x: number, max: number): number => Math.max(0, Math.min(x, max));

/** Each kept code's segments in `side`, as merged code-point intervals. */
function codeIntervals(side: Side, roots: readonly string[] | undefined): Map<string, Intervals> {
  const raw = new Map<string, [number, number][]>();
  for (const s of distinctSegments(side.copy.model)) {
    if (!keptCode(s.path, roots)) continue;
    let list = raw.get(s.path);
    if (!list) { list = []; raw.set(s.path, list); }
    list.push(side.cpRange(s.start, s.end));
  }
  const out = new Map<string, Intervals>();
  for (const [code, list] of raw) {
    list.sort((x, y) => x[0] - y[0]);
    const merged: Intervals = [];
    for (const [s, e] of list) {
      if (e <= s) continue;
      const n = merged.length;
      if (n > 0 && s <= merged[n - 1]) merged[n - 1] = Math.max(merged[n - 1], e);
      else merged.push(s, e);
    }
    out.set(code, merged);
  }
  return out;
}

/** Aligns the two plain texts: one block when they are equal, else the equal stretches of a character diff. */
function align(a: Side, b: Side): Alignment {
  if (a.plain.text === b.plain.text) {
    const n = a.length;
    return n === 0 ? { at: [], bt: [], len: [], u: [], total: 0 } : { at: [0], bt: [0], len: [n], u: [0], total: n };
  }
  const out: Alignment = { at: [], bt: [], len: [], u: [], total: 0 };
  let ia = 0, ib = 0; // UTF-16 offsets into each plain text
  for (const [op, chunk] of diff(a.plain.text, b.plain.text)) {
    if (op === diff.EQUAL) {
      const sa = a.plain.codePoints(ia), sb = b.plain.codePoints(ib);
      const len = Math.min(a.plain.codePoints(ia + chunk.length) - sa, b.plain.codePoints(ib + chunk.length) - sb);
      if (len > 0) {
        out.at.push(sa); out.bt.push(sb); out.len.push(len); out.u.push(out.total);
        out.total += len;
      }
      ia += chunk.length; ib += chunk.length;
    } else if (op === diff.DELETE) ia += chunk.length;
    else ib += chunk.length;
  }
  return out;
}

/** `iv` (on one copy's code points) placed on the common axis: only the aligned parts, adjacent ones joined. */
function toAxis(iv: Intervals, al: Alignment, from: number[]): Intervals {
  const out: Intervals = [];
  let k = 0;
  for (let i = 0; i < iv.length; i += 2) {
    const s = iv[i], e = iv[i + 1];
    while (k < from.length && from[k] + al.len[k] <= s) k++;
    for (let j = k; j < from.length && from[j] < e; j++) {
      const lo = Math.max(s, from[j]), hi = Math.min(e, from[j] + al.len[j]);
      if (hi <= lo) continue;
      const us = al.u[j] + lo - from[j], ue = al.u[j] + hi - from[j];
      const n = out.length;
      if (n > 0 && out[n - 1] >= us) out[n - 1] = Math.max(out[n - 1], ue);
      else out.push(us, ue);
    }
  }
  return out;
}

/** A point of the common axis in one copy's code points (`end`: the end of the unit before it). */
function fromAxis(x: number, al: Alignment, to: number[], end: boolean): number {
  if (al.u.length === 0) return 0;
  const p = end ? x - 1 : x;
  let lo = 0, hi = al.u.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (al.u[mid] <= p) lo = mid + 1; else hi = mid; }
  const k = Math.max(0, lo - 1);
  const v = to[k] + Math.min(Math.max(p - al.u[k], 0), al.len[k] - 1);
  return end ? v + 1 : v;
}

const measure = (iv: Intervals): number => { let n = 0; for (let i = 0; i < iv.length; i += 2) n += iv[i + 1] - iv[i]; return n; };

function intersectionLength(x: Intervals, y: Intervals): number {
  let i = 0, j = 0, n = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i], y[j]), hi = Math.min(x[i + 1], y[j + 1]);
    if (hi > lo) n += hi - lo;
    if (x[i + 1] < y[j + 1]) i += 2; else j += 2;
  }
  return n;
}

/** x minus y, as intervals. */
function minus(x: Intervals, y: Intervals): Intervals {
  const out: Intervals = [];
  let j = 0;
  for (let i = 0; i < x.length; i += 2) {
    let s = x[i];
    const e = x[i + 1];
    while (j < y.length && y[j + 1] <= s) j += 2;
    let k = j;
    while (k < y.length && y[k] < e) {
      if (y[k] > s) out.push(s, y[k]);
      s = Math.max(s, y[k + 1]);
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

interface PairResult {
  units: number;
  unaligned: number;
  counts: Map<string, { both: number; onlyA: number; onlyB: number }>;
  disagreements: Disagreement[];
}

/** A run of units where one coder applied a code, on the common axis. */
interface Run { code: string; coder: Coder; s: number; e: number }

function comparePair(file: string, ca: TranscriptCopy, cb: TranscriptCopy, unit: AgreementUnit, roots: readonly string[] | undefined): PairResult {
  const a = new Side(ca), b = new Side(cb);
  const al = align(a, b);
  const unaligned = a.length - al.total + (b.length - al.total);
  const segA = codeIntervals(a, roots), segB = codeIntervals(b, roots);
  const codes = [...new Set([...segA.keys(), ...segB.keys()])].sort();
  const counts = new Map<string, { both: number; onlyA: number; onlyB: number }>();
  const runs: Run[] = [];
  let units: number;

  // Whether a code is in the table is decided by its use, not by its aligned extent: a code applied only to
  // an empty span or to text the other copy lacks still has its row.
  const axis = (code: string, m: Map<string, Intervals>, from: number[]): Intervals => toAxis(m.get(code) ?? [], al, from);

  if (unit === 'character') {
    units = al.total;
    for (const code of codes) {
      const x = axis(code, segA, al.at), y = axis(code, segB, al.bt);
      const both = intersectionLength(x, y);
      counts.set(code, { both, onlyA: measure(x) - both, onlyB: measure(y) - both });
      const onlyA = minus(x, y), onlyB = minus(y, x);
      for (let i = 0; i < onlyA.length; i += 2) runs.push({ code, coder: 'A', s: onlyA[i], e: onlyA[i + 1] });
      for (let i = 0; i < onlyB.length; i += 2) runs.push({ code, coder: 'B', s: onlyB[i], e: onlyB[i + 1] });
    }
  } else if (unit === 'paragraph') {
    // The paragraphs are A's, placed on the common axis; a paragraph no part of which is aligned is left out.
    const paras: Intervals = [];
    for (const p of ca.model.paragraphs) {
      const [s0, e0] = a.cpRange(p.start, p.end);
      const placed = e0 > s0 ? toAxis([s0, e0], al, al.at) : [];
      if (placed.length > 0) paras.push(placed[0], placed[placed.length - 1]);
    }
    units = paras.length / 2;
    for (const code of codes) {
      const fa = touched(paras, axis(code, segA, al.at)), fb = touched(paras, axis(code, segB, al.bt));
      let both = 0, onlyA = 0, onlyB = 0;
      for (let p = 0; p < units; p++) {
        if (fa[p] && fb[p]) both++;
        else if (fa[p]) onlyA++;
        else if (fb[p]) onlyB++;
      }
      counts.set(code, { both, onlyA, onlyB });
      for (let p = 0; p < units;) {
        const coder: Coder | undefined = fa[p] && !fb[p] ? 'A' : fb[p] && !fa[p] ? 'B' : undefined;
        if (!coder) { p++; continue; }
        let q = p;
        while (q + 1 < units && (coder === 'A' ? fa[q + 1] && !fb[q + 1] : fb[q + 1] && !fa[q + 1])) q++;
        runs.push({ code, coder, s: paras[2 * p], e: paras[2 * q + 1] });
        p = q + 1;
      }
    }
  } else {
    units = 1;
    for (const code of codes) {
      const usesA = segA.has(code), ub = segB.has(code);
      counts.set(code, { both: usesA && ub ? 1 : 0, onlyA: usesA && !ub ? 1 : 0, onlyB: ub && !usesA ? 1 : 0 });
      if (usesA !== ub) {
        const coder: Coder = usesA ? 'A' : 'B';
        const placed = axis(code, coder === 'A' ? segA : segB, coder === 'A' ? al.at : al.bt);
        const s = placed.length ? placed[0] : 0, e = placed.length ? placed[placed.length - 1] : 0;
        runs.push({ code, coder, s, e });
      }
    }
  }

  runs.sort((x, y) => x.s - y.s || x.e - y.e || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0) || (x.coder < y.coder ? -1 : 1));
  const disagreements = runs.map((r): Disagreement => {
    const rangeA = a.sourceRange(fromAxis(r.s, al, al.at, false), r.e > r.s ? fromAxis(r.e, al, al.at, true) : fromAxis(r.s, al, al.at, false));
    const rangeB = b.sourceRange(fromAxis(r.s, al, al.bt, false), r.e > r.s ? fromAxis(r.e, al, al.bt, true) : fromAxis(r.s, al, al.bt, false));
    return { file, code: r.code, coder: r.coder, rangeA, rangeB, excerpt: (r.coder === 'A' ? a : b).excerpt(r.coder === 'A' ? rangeA : rangeB) };
  });
  return { units, unaligned, counts, disagreements };
}

/** For each unit of `paras` (sorted, disjoint intervals), whether an interval of `iv` overlaps it. */
function touched(paras: Intervals, iv: Intervals): Uint8Array {
  const out = new Uint8Array(paras.length / 2);
  let j = 0;
  for (let p = 0; p < paras.length; p += 2) {
    while (j < iv.length && iv[j + 1] <= paras[p]) j += 2;
    if (j < iv.length && iv[j] < paras[p + 1]) out[p / 2] = 1;
  }
  return out;
}
