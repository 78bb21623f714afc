/**
 * Code counts and coded segments (SPEC §4.2, §8): the figures behind
 * `codes`, the Codes view and hovers.
 */
import { caseFields, matchesFilter, type CaseFields, type CaseFilter } from './coverage';
import { questionsAt } from './regions';
import { excerptsOf } from './transcript';
import { caseValues, contributionOf, distinctSegments, type Study, type TranscriptDocument } from './study';
import type { Range } from './text';

export interface CodeCountRow {
  code: string;
  label: string;
  known: boolean;
  /** The parent code's path, or null for a top-level or unknown code. */
  parent: string | null;
  deprecated: boolean;
  color: string | null;
  /** Segments coded with exactly this code, and the transcripts they are in. */
  segments: number;
  transcripts: number;
  /** The same with every known descendant included (transcripts counted once). */
  totalSegments: number;
  totalTranscripts: number;
}

/** Which transcripts to count: all, one (by URI), or those matching a filter. */
export interface Scope {
  uri?: string;
  filter?: CaseFilter;
}

export function transcriptsIn(study: Study, scope: Scope = {}): TranscriptDocument[] {
  if (scope.uri !== undefined) {
    const doc = study.get(scope.uri);
    return doc && doc.kind === 'transcript' ? [doc as TranscriptDocument] : [];
  }
  return study.transcripts().filter((t) => matchesFilter(t, scope.filter));
}

/** One row per codebook code (zero when unused), then one per unknown code in use. */
export function codeCounts(study: Study, scope: Scope = {}): CodeCountRow[] {
  const index = study.codeIndex();
  const own = new Map<string, { segments: number; docs: Set<string> }>();
  for (const t of transcriptsIn(study, scope)) {
    for (const [path, n] of contributionOf(t.model).codes) {
      let c = own.get(path);
      if (!c) { c = { segments: 0, docs: new Set() }; own.set(path, c); }
      c.segments += n;
      c.docs.add(t.uri);
    }
  }
  const rows: CodeCountRow[] = [];
  const totals = new Map<string, { segments: number; docs: Set<string> }>();
  // Children come after their parents in `all`, so walking it backwards sums bottom-up.
  const known = [...index.byPath.values()];
  for (let i = known.length - 1; i >= 0; i--) {
    const path = known[i].def.path;
    const t = totals.get(path) ?? { segments: 0, docs: new Set<string>() };
    const o = own.get(path);
    if (o) { t.segments += o.segments; for (const d of o.docs) t.docs.add(d); }
    totals.set(path, t);
    const parent = known[i].def.parent;
    if (parent !== null && index.byPath.has(parent)) {
      const pt = totals.get(parent) ?? { segments: 0, docs: new Set<string>() };
      pt.segments += t.segments;
      for (const d of t.docs) pt.docs.add(d);
      totals.set(parent, pt);
    }
  }
  for (const { def } of known) {
    const o = own.get(def.path);
    const t = totals.get(def.path)!;
    rows.push({
      code: def.path, label: def.label ?? def.id, known: true,
      parent: def.parent !== null && index.byPath.has(def.parent) ? def.parent : null,
      deprecated: def.deprecated, color: def.color ?? null,
      segments: o?.segments ?? 0, transcripts: o?.docs.size ?? 0,
      totalSegments: t.segments, totalTranscripts: t.docs.size,
    });
  }
  const unknown = [...own.keys()].filter((p) => !index.byPath.has(p)).sort();
  for (const path of unknown) {
    const o = own.get(path)!;
    rows.push({
      code: path, label: path.slice(path.lastIndexOf('/') + 1), known: false, parent: null, deprecated: false, color: null,
      segments: o.segments, transcripts: o.docs.size, totalSegments: o.segments, totalTranscripts: o.docs.size,
    });
  }
  return rows;
}

export interface SegmentRow extends CaseFields {
  code: string;
  /** The questions whose answer region holds the segment's start, in marker order (SPEC §4.2); empty before the first marker. */
  questions: string[];
  /** The first of `questions`, or null. */
  question: string | null;
  range: Range;
  excerpt: string;
  /** With `context`: the excerpts of the paragraphs before the segment's first paragraph and after its last, nearest last and first. */
  before?: string[];
  after?: string[];
}

/** Which coded segments to retrieve (SPEC §10): every filter given narrows; none given keeps every segment. */
export interface SegmentQuery extends Scope {
  /** One code exactly as written (the Codes view's request). */
  code?: string;
  /** These codes, each with its known descendants unless `exact`. */
  codes?: string[];
  exact?: boolean;
  /** Segments answering any of these questions: a question ID, or `GUIDE:QUESTION` as the matrix names its columns. */
  questions?: string[];
  /** Add the excerpts of this many paragraphs before and after each segment. */
  context?: number;
  /**
   * Segments that share at least one character with another segment of these codes (with descendants unless
   * `exact`) in the same transcript: the passages behind a co-occurrence cell.
   */
  overlapping?: string[];
  /** Only transcripts whose front matter lacks these keys: the `(none)` column of a table by key. */
  missing?: string[];
  /** Only these transcripts, by path in the study (a column of the table by transcript). */
  files?: string[];
}

/**
 * Whether a code path counts as one of `codes`: the code itself, or (unless `exact`) a known descendant,
 * as a row of the matrix counts it. Unknown codes below a known one count only as themselves, as in `codes`.
 */
export function codeMatcher(study: Study, codes: readonly string[], exact = false): (path: string) => boolean {
  const wanted = new Set(codes);
  if (exact) return (path) => wanted.has(path);
  const index = study.codeIndex();
  const memo = new Map<string, boolean>();
  return (path) => {
    let hit = memo.get(path);
    if (hit !== undefined) return hit;
    hit = wanted.has(path);
    let p = index.byPath.get(path)?.def.parent ?? null;
    while (!hit && p !== null && index.byPath.has(p)) {
      hit = wanted.has(p);
      p = index.byPath.get(p)!.def.parent;
    }
    memo.set(path, hit);
    return hit;
  };
}

/** The index of the last item whose start is at or before `offset`, or -1. */
function lastAtOrBefore(items: readonly { start: number }[], offset: number): number {
  let lo = 0, hi = items.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * The coded segments of the study that `query` keeps, in file then document order.
 * `getText` supplies a transcript's text for excerpts: the study keeps models, not texts.
 */
export function codedSegments(study: Study, getText: (uri: string) => string | undefined, query: SegmentQuery = {}): SegmentRow[] {
  const rows: SegmentRow[] = [];
  const byCodes = query.codes?.length ? codeMatcher(study, query.codes, query.exact === true) : undefined;
  const keep = (path: string): boolean =>
    (query.code === undefined || path === query.code) && (byCodes === undefined || byCodes(path));
  const questions = query.questions?.length ? new Set(query.questions) : undefined;
  const context = Math.max(0, Math.floor(query.context ?? 0));
  const byOverlap = query.overlapping?.length ? codeMatcher(study, query.overlapping, query.exact === true) : undefined;
  let docs = query.code !== undefined && query.uri === undefined && !query.filter
    ? docsUsing(study, query.code)
    : transcriptsIn(study, query);
  if (query.files?.length) { const files = new Set(query.files); docs = docs.filter((t) => files.has(t.path)); }
  if (query.missing?.length) docs = docs.filter((t) => { const v = caseValues(t); return query.missing!.every((k) => v[k] === undefined); });
  for (const t of docs) {
    const all = distinctSegments(t.model);
    let segs = all.filter((s) => keep(s.path));
    if (byOverlap) segs = overlapping(segs, all.filter((s) => byOverlap(s.path)));
    if (segs.length === 0) continue;
    const asked = segs.map((s) => questionsAt(t.model, s.start));
    if (questions) {
      const res = study.resolveGuide(t.model);
      const guide = res.status === 'ok' ? res.guide.model.id?.value ?? '' : '(no guide)';
      const answers = (qs: readonly string[]): boolean => qs.some((q) => questions.has(q) || questions.has(`${guide}:${q}`));
      const kept = segs.map((_, i) => answers(asked[i]));
      segs = segs.filter((_, i) => kept[i]);
      asked.splice(0, asked.length, ...asked.filter((_, i) => kept[i]));
      if (segs.length === 0) continue;
    }
    const text = getText(t.uri) ?? '';
    const who = caseFields(t);
    // The paragraphs around each segment, cut in the same reading as the segments themselves.
    const paragraphs = t.model.paragraphs;
    const around = segs.map((s) => {
      if (context === 0) return { before: [] as number[], after: [] as number[] };
      const first = lastAtOrBefore(paragraphs, s.start);
      const last = Math.max(first, lastAtOrBefore(paragraphs, Math.max(s.start, s.end - 1)));
      const before: number[] = [], after: number[] = [];
      for (let p = Math.max(0, first - context); p < first; p++) before.push(p);
      for (let p = last + 1; p <= Math.min(paragraphs.length - 1, last + context); p++) after.push(p);
      return { before, after };
    });
    const ranges: { start: number; end: number }[] = [...segs];
    for (const a of around) for (const p of [...a.before, ...a.after]) ranges.push(paragraphs[p]);
    // All at once: one excerpt at a time costs the length of its segment, and nested spans each hold nearly all.
    const excerpts = excerptsOf(text, t.model, ranges);
    let next = segs.length;
    segs.forEach((s, i) => {
      const qs = [...asked[i]];
      const row: SegmentRow = {
        code: s.path, ...who, questions: qs, question: qs[0] ?? null,
        range: t.model.lines.range(s.start, s.end), excerpt: excerpts[i],
      };
      if (context > 0) {
        row.before = around[i].before.map(() => excerpts[next++]);
        row.after = around[i].after.map(() => excerpts[next++]);
      }
      rows.push(row);
    });
  }
  return rows;
}

/**
 * The segments of `segs` that share a character with a segment of `others` other than themselves, by one
 * sort and a binary search per segment: the largest and second-largest end among the others starting
 * before a segment's end say whether one of them (not the segment itself) reaches past its start.
 */
function overlapping<S extends { start: number; end: number }>(segs: S[], others: S[]): S[] {
  // An empty segment shares no character with anything, as in the matrix.
  const sorted = others.filter((o) => o.end > o.start).sort((a, b) => a.start - b.start);
  if (sorted.length === 0) return [];
  const best: (S | undefined)[] = [], second: number[] = [];
  let top: S | undefined, next = -1;
  for (const o of sorted) {
    if (top === undefined || o.end > top.end) { next = top?.end ?? -1; top = o; } else if (o.end > next) next = o.end;
    best.push(top);
    second.push(next);
  }
  return segs.filter((s) => {
    if (s.end <= s.start) return false;
    const i = lastBefore(sorted, s.end);
    if (i < 0) return false;
    const reach = best[i] === s ? second[i] : best[i]!.end;
    return reach > s.start;
  });
}

/** The index of the last item whose start is before `offset`, or -1. */
function lastBefore(items: readonly { start: number }[], offset: number): number {
  let lo = 0, hi = items.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** The transcripts that use `code`, found through the usage index rather than a scan of the study. */
function docsUsing(study: Study, code: string): TranscriptDocument[] {
  const byDoc = study.usage().codes.get(code)?.byDoc;
  if (!byDoc) return [];
  return study.transcripts().filter((t) => byDoc.has(t.uri));
}
