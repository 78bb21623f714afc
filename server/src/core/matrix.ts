/**
 * The analysis tables of SPEC §10: codes (rows) against guide questions, transcripts, values of a
 * front-matter key, or other codes (co-occurrence). Each cell counts coded segments and the distinct
 * transcripts they come from. A row counts its code with its known descendants unless `exact`.
 */
import { matchesFilter, type CaseFilter } from './coverage';
import { questionsAt } from './regions';
import { caseValues, distinctSegments, questionMap, type Study, type TranscriptDocument } from './study';

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

interface Seg { start: number; end: number; path: string; id: number }

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

/** The table of SPEC §10 over the transcripts `filter` keeps. */
export function codeMatrix(study: Study, options: MatrixOptions): Matrix {
  const docs = study.transcripts().filter((t) => matchesFilter(t, options.filter));
  const segsOf = new Map<TranscriptDocument, Seg[]>();
  const used = new Set<string>();
  let id = 0;
  for (const t of docs) {
    const segs = distinctSegments(t.model).map((s) => ({ start: s.start, end: s.end, path: s.path, id: id++ }));
    segsOf.set(t, segs);
    for (const s of segs) used.add(s.path);
  }
  const rows = rowCodes(study, used, options);
  // Which rows each code path counts in.
  const rowsOf = new Map<string, number[]>();
  rows.forEach((r, i) => { for (const c of r.counts) { const l = rowsOf.get(c) ?? []; l.push(i); rowsOf.set(c, l); } });

  const by = options.by;
  const columns: MatrixColumn[] = [];
  // Per row, per column key: segment count and the set of transcripts.
  const acc = rows.map(() => new Map<string, { segments: number; docs: Set<TranscriptDocument> }>());
  const add = (row: number, key: string, t: TranscriptDocument, n = 1): void => {
    let c = acc[row].get(key);
    if (!c) { c = { segments: 0, docs: new Set() }; acc[row].set(key, c); }
    c.segments += n;
    c.docs.add(t);
  };

  if (by === 'code') {
    for (const r of rows) columns.push({ key: r.code, label: r.label });
    for (const t of docs) cooccurrences(segsOf.get(t)!, rowsOf, (a, b) => add(a, rows[b].code, t));
  } else if (by === 'transcript') {
    for (const t of docs) columns.push({ key: t.path, label: t.path });
    for (const t of docs) for (const s of segsOf.get(t)!) for (const r of rowsOf.get(s.path) ?? []) add(r, t.path, t);
  } else if (by === 'question') {
    const seen = new Set<string>();
    for (const t of docs) {
      const res = study.resolveGuide(t.model);
      const guide = res.status === 'ok' ? res.guide.model.id?.value ?? '' : undefined;
      for (const s of segsOf.get(t)!) {
        const rs = rowsOf.get(s.path);
        if (!rs) continue;
        for (const q of questionsAt(t.model, s.start)) {
          const key = `${guide ?? '(no guide)'}:${q}`;
          seen.add(key);
          for (const r of rs) add(r, key, t);
        }
      }
    }
    // Guide order, guides in path order; questions their guide does not define (or with no guide) after them, sorted.
    const guideIndex = study.guideIndex();
    for (const g of study.guides()) {
      const gid = g.model.id?.value ?? '';
      if (guideIndex.byId.get(gid) !== g) continue;
      for (const q of questionMap(g.model).values()) {
        const key = `${gid}:${q.id}`;
        if (seen.delete(key)) columns.push({ key, label: key });
      }
    }
    for (const key of [...seen].sort()) columns.push({ key, label: key });
  } else {
    const groups = new Map<string, number>();
    for (const t of docs) {
      const v = caseValues(t)[by.key];
      const values = v === undefined ? [NONE] : Array.isArray(v) ? [...new Set(v)] : [v];
      for (const value of values) {
        groups.set(value, (groups.get(value) ?? 0) + 1);
        for (const s of segsOf.get(t)!) for (const r of rowsOf.get(s.path) ?? []) add(r, value, t);
      }
    }
    const keys = [...groups.keys()].filter((k) => k !== NONE).sort(compareValues);
    if (groups.has(NONE)) keys.push(NONE);
    for (const k of keys) columns.push({ key: k, label: k, size: groups.get(k)! });
  }

  return {
    by: typeof by === 'string' ? by : by.key,
    exact: options.exact === true,
    columns,
    rows: rows.map((r, i) => ({
      code: r.code, label: r.label, known: r.known, depth: r.depth,
      cells: Object.fromEntries(columns.map((c) => {
        const x = acc[i].get(c.key);
        return [c.key, { segments: x?.segments ?? 0, transcripts: x?.docs.size ?? 0 }];
      })),
    })),
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
function cooccurrences(segs: Seg[], rowsOf: Map<string, number[]>, pair: (a: number, b: number) => void): void {
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
