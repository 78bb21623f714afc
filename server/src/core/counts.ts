/**
 * Code counts and coded segments (SPEC §4.2, §8): the figures behind
 * `codes`, the Codes view and hovers.
 */
import { caseFields, matchesFilter, type CaseFields, type CaseFilter } from './coverage';
import { questionsAt } from './regions';
import { excerptsOf } from './transcript';
import { contributionOf, distinctSegments, type Study, type TranscriptDocument } from './study';
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
}

/**
 * The coded segments of the study (or of one code), in file then document order.
 * `getText` supplies a transcript's text for excerpts: the study keeps models, not texts.
 */
export function codedSegments(study: Study, getText: (uri: string) => string | undefined, options: Scope & { code?: string } = {}): SegmentRow[] {
  const rows: SegmentRow[] = [];
  const docs = options.code !== undefined && options.uri === undefined && !options.filter
    ? docsUsing(study, options.code)
    : transcriptsIn(study, options);
  for (const t of docs) {
    const segs = distinctSegments(t.model).filter((s) => options.code === undefined || s.path === options.code);
    if (segs.length === 0) continue;
    const text = getText(t.uri) ?? '';
    const who = caseFields(t);
    // All at once: one excerpt at a time costs the length of its segment, and nested spans each hold nearly all.
    const excerpts = excerptsOf(text, t.model, segs);
    segs.forEach((s, i) => {
      const questions = [...questionsAt(t.model, s.start)];
      rows.push({
        code: s.path, ...who, questions, question: questions[0] ?? null,
        range: t.model.lines.range(s.start, s.end), excerpt: excerpts[i],
      });
    });
  }
  return rows;
}

/** The transcripts that use `code`, found through the usage index rather than a scan of the study. */
function docsUsing(study: Study, code: string): TranscriptDocument[] {
  const byDoc = study.usage().codes.get(code)?.byDoc;
  if (!byDoc) return [];
  return study.transcripts().filter((t) => byDoc.has(t.uri));
}
