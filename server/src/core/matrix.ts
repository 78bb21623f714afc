/**
 * The analysis tables of SPEC §10: codes (rows) against guide questions, transcripts, values of a
 * front-matter key, or other codes (co-occurrence). Each cell counts coded segments and the distinct
 * transcripts they come from. A row counts its code with its known descendants unless `exact`.
 */
import { matchesFilter, type CaseFilter } from './coverage';
import { answerRegions, questionsAt } from './regions';
import type { TranscriptModel } from './model';
import { caseValues, distinctSegments, questionMap, type Study } from './study';

export type MatrixBy = 'question' | 'transcript' | 'code' | { key: string };

export interface MatrixOptions {
  by: MatrixBy;
  /** Keep only the rows of these codes and their descendants. */
  codes?: string[];
  filter?: CaseFilter;
  exact?: boolean;
}

export interface MatrixCell { segments: number; transcripts: number }

export interface MatrixColumn {
  key: string;
  label: string;
  /** For `--by KEY`: how many transcripts are in the group. */
  size?: number;
}

export interface MatrixRow {
  code: string;
  label: string;
  known: boolean;
  depth: number;
  cells: Record<string, MatrixCell>;
}

export interface Matrix {
  /** `question`, `transcript`, `code`, or the front-matter key. */
  by: string;
  exact: boolean;
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** The column value of a transcript without the `--by` key. */
export const NONE = '(none)';

interface Seg { start: number; end: number; path: string }

/** The row codes in codebook order (a tree), then the unknown codes in use, sorted; each with the known codes it counts. */
function rowCodes(study: Study, used: Set<string>, options: MatrixOptions): { code: string; label: string; known: boolean; depth: number; counts: Set<string> }[] {
  const index = study.codeIndex();
  const depthOf = new Map<string, number>();
  const out: { code: string; label: string; known: boolean; depth: number; counts: Set<string> }[] = [];
  const wanted = (path: string): boolean =>
    !options.codes?.length || options.codes.some((c) => path === c || path.startsWith(`${c}/`));
  for (const { def } of index.byPath.values()) {
    const parent = def.parent !== null && index.byPath.has(def.parent) ? def.parent : null;
    const depth = parent === null ? 0 : (depthOf.get(parent) ?? 0) + 1;
    depthOf.set(def.path, depth);
    if (wanted(def.path)) out.push({ code: def.path, label: def.label ?? def.id, known: true, depth, counts: new Set([def.path]) });
  }
  if (!options.exact) {
    // Children follow their parents in the index, so walking upwards from each code reaches every ancestor row.
    const byCode = new Map(out.map((r) => [r.code, r]));
    for (const { def } of index.byPath.values()) {
      let p = def.parent;
      while (p !== null && index.byPath.has(p)) {
        byCode.get(p)?.counts.add(def.path);
        p = index.byPath.get(p)!.def.parent;
      }
    }
  }
  for (const path of [...used].filter((p) => !index.byPath.has(p)).sort()) {
    if (wanted(path)) out.push({ code: path, label: path.slice(path.lastIndexOf('/') + 1), known: false, depth: 0, counts: new Set([path]) });
  }
  return out;
}

/**
 * Per model: its distinct segments as the matrix reads them. Models are immutable and a table is asked for
 * again on every change of the study, while most transcripts keep their model; held weakly, so a model
 * replaced by an edit takes its entry with it.
 */
const segmentCache = new WeakMap<TranscriptModel, readonly Seg[]>();

function segmentsOf(model: TranscriptModel): readonly Seg[] {
  let segs = segmentCache.get(model);
  if (!segs) {
    segs = distinctSegments(model).map((s) => ({ start: s.start, end: s.end, path: s.path }));
    segmentCache.set(model, segs);
  }
  return segs;
}

/**
 * Cell counts by row and column index: segments, and distinct transcripts (transcripts are added one after
 * another, so a cell counts a transcript when it last saw another one). Flat typed arrays rather than a map of
 * sets per cell: a table of 1,000 transcripts adds some 300,000 segments.
 */
class Counts {
  readonly segments: Int32Array;
  readonly transcripts: Int32Array;
  private readonly lastDoc: Int32Array;
  constructor(rows: number, readonly columns: number) {
    this.segments = new Int32Array(rows * columns);
    this.transcripts = new Int32Array(rows * columns);
    this.lastDoc = new Int32Array(rows * columns).fill(-1);
  }
  add(row: number, column: number, doc: number): void {
    const i = row * this.columns + column;
    this.segments[i]++;
    if (this.lastDoc[i] !== doc) { this.lastDoc[i] = doc; this.transcripts[i]++; }
  }
  cell(row: number, column: number): MatrixCell {
    const i = row * this.columns + column;
    return { segments: this.segments[i], transcripts: this.transcripts[i] };
  }
}

/** The table of SPEC §10 over the transcripts `filter` keeps. */
export function codeMatrix(study: Study, options: MatrixOptions): Matrix {
  const docs = study.transcripts().filter((t) => matchesFilter(t, options.filter));
  const segsOf = docs.map((t) => segmentsOf(t.model));
  const used = new Set<string>();
  for (const segs of segsOf) for (const s of segs) used.add(s.path);
  const rows = rowCodes(study, used, options);
  // Which rows each code path counts in.
  const rowsOf = new Map<string, number[]>();
  rows.forEach((r, i) => { for (const c of r.counts) { const l = rowsOf.get(c) ?? []; l.push(i); rowsOf.set(c, l); } });

  const by = options.by;
  let columns: MatrixColumn[] = [];
  let counts: Counts;

  if (by === 'code') {
    for (const r of rows) columns.push({ key: r.code, label: r.label });
    counts = new Counts(rows.length, columns.length);
    docs.forEach((_, d) => cooccurrences(segsOf[d], rowsOf, (a, b) => counts.add(a, b, d)));
  } else if (by === 'transcript') {
    for (const t of docs) columns.push({ key: t.path, label: t.path });
    counts = new Counts(rows.length, columns.length);
    docs.forEach((_, d) => { for (const s of segsOf[d]) for (const r of rowsOf.get(s.path) ?? []) counts.add(r, d, d); });
  } else if (by === 'question') {
    // Every question that heads an answer region is a column for now; those with nothing counted are dropped below.
    const keyIndex = new Map<string, number>();
    const keys: string[] = [];
    const guideOf = docs.map((t) => {
      const res = study.resolveGuide(t.model);
      return res.status === 'ok' ? res.guide.model.id?.value ?? '' : '(no guide)';
    });
    const columnsOf = docs.map((_, d) => {
      // questionsAt answers one array per answer region: its columns are looked up once per region.
      const byRegion = new Map<readonly string[], number[]>();
      return (qs: readonly string[]): number[] => {
        let cols = byRegion.get(qs);
        if (!cols) {
          cols = qs.map((q) => {
            const key = `${guideOf[d]}:${q}`;
            let k = keyIndex.get(key);
            if (k === undefined) { k = keys.length; keys.push(key); keyIndex.set(key, k); }
            return k;
          });
          byRegion.set(qs, cols);
        }
        return cols;
      };
    });
    // Every region's columns first, so that the counts can be allocated once; questionsAt answers these very arrays.
    docs.forEach((t, d) => { for (const region of answerRegions(t.model)) columnsOf[d](region.questions); });
    const all = new Counts(rows.length, keys.length);
    docs.forEach((t, d) => {
      for (const s of segsOf[d]) {
        const rs = rowsOf.get(s.path);
        if (!rs) continue;
        for (const c of columnsOf[d](questionsAt(t.model, s.start))) for (const r of rs) all.add(r, c, d);
      }
    });
    // A question is a column when something is counted under it.
    const seen = new Set(keys.filter((_, k) => rows.some((__, r) => all.segments[r * all.columns + k] > 0)));
    // Guide order, guides in path order; questions their guide does not define (or with no guide) after them, sorted.
    const guideIndex = study.guideIndex();
    const ordered: string[] = [];
    for (const g of study.guides()) {
      const gid = g.model.id?.value ?? '';
      if (guideIndex.byId.get(gid) !== g) continue;
      for (const q of questionMap(g.model).values()) {
        const key = `${gid}:${q.id}`;
        if (seen.delete(key)) ordered.push(key);
      }
    }
    ordered.push(...[...seen].sort());
    columns = ordered.map((key) => ({ key, label: key }));
    counts = new Counts(rows.length, columns.length);
    ordered.forEach((key, j) => {
      const k = keyIndex.get(key)!;
      rows.forEach((_, r) => {
        const from = r * all.columns + k, to = r * counts.columns + j;
        counts.segments[to] = all.segments[from];
        counts.transcripts[to] = all.transcripts[from];
      });
    });
  } else {
    const groups = new Map<string, number>();
    const valuesOf = docs.map((t) => {
      const v = caseValues(t)[by.key];
      const values = v === undefined ? [NONE] : Array.isArray(v) ? [...new Set(v)] : [v];
      for (const value of values) groups.set(value, (groups.get(value) ?? 0) + 1);
      return values;
    });
    const keys = [...groups.keys()].filter((k) => k !== NONE).sort(compareValues);
    if (groups.has(NONE)) keys.push(NONE);
    for (const k of keys) columns.push({ key: k, label: k, size: groups.get(k)! });
    const column = new Map(keys.map((k, j) => [k, j]));
    counts = new Counts(rows.length, columns.length);
    docs.forEach((_, d) => {
      for (const value of valuesOf[d]) {
        const j = column.get(value)!;
        for (const s of segsOf[d]) for (const r of rowsOf.get(s.path) ?? []) counts.add(r, j, d);
      }
    });
  }

  return {
    by: typeof by === 'string' ? by : by.key,
    exact: options.exact === true,
    columns,
    rows: rows.map((r, i) => {
      const cells: Record<string, MatrixCell> = {};
      for (let j = 0; j < columns.length; j++) cells[columns[j].key] = counts.cell(i, j);
      return { code: r.code, label: r.label, known: r.known, depth: r.depth, cells };
    }),
  };
}

/** Numbers in numeric order, then text. */
function compareValues(a: string, b: string): number {
  const na = Number(a), nb = Number(b);
  const an = a.trim() !== '' && Number.isFinite(na), bn = b.trim() !== '' && Number.isFinite(nb);
  if (an && bn) return na - nb || (a < b ? -1 : a > b ? 1 : 0);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Co-occurrence in one transcript by a sweep over segments sorted by start: each segment meets only the
 * segments still open when it starts, so the work is the number of overlapping pairs, not all pairs.
 * `pair(rowA, rowB)` is called once per (segment counted in A, segment counted in B) that overlap, for A ≠ B
 * in both directions; the diagonal (A, A) is called once per segment counted in A.
 */
function cooccurrences(segs: readonly Seg[], rowsOf: Map<string, number[]>, pair: (a: number, b: number) => void): void {
  const sorted = segs.filter((s) => rowsOf.has(s.path)).sort((a, b) => a.start - b.start || a.end - b.end);
  let open: Seg[] = [];
  for (const s of sorted) {
    // Ranges share a character when each starts before the other ends.
    open = open.filter((o) => o.end > s.start);
    const rs = rowsOf.get(s.path)!;
    for (const a of rs) pair(a, a);
    if (s.end > s.start) {
      for (const o of open) {
        for (const a of rs) for (const b of rowsOf.get(o.path)!) {
          if (a === b) continue;
          pair(a, b);
          pair(b, a);
        }
      }
      open.push(s);
    }
  }
}
