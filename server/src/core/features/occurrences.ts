/**
 * What each document says about codes, questions, guides and roles, as one
 * sorted list of occurrences per model (built once per model, cached), so that
 * "what is under the cursor" is a binary search and "every use in this file"
 * a scan of one short list. Shared by hover, navigation, rename and completion.
 */
import type { CodeDef, CodebookModel, DocumentModel, GuideModel, QuestionDef, TranscriptModel } from '../model';
import {
  questionMap,
  type GuideDocument,
  type Study,
  type StudyDocument,
  type TranscriptDocument,
} from '../study';
import type { Position, Range } from '../text';
import type { Location } from './types';

interface Base {
  /** The whole token, sigil included (`#benefit/family`); for YAML values the value itself. */
  start: number;
  end: number;
  /** The ID part, without sigil. */
  idStart: number;
  idEnd: number;
}

export interface CodeOccurrence extends Base {
  kind: 'code';
  /** A `#path` in a transcript, a code's `id` in a codebook, or a `replacedBy` value. */
  role: 'use' | 'definition' | 'replacedBy';
  path: string;
  def?: CodeDef;
}

export interface QuestionOccurrence extends Base {
  kind: 'question';
  /** An `@id` marker, a question's `id` in a guide, a `skipped` entry, or a codebook `questions` entry. */
  role: 'marker' | 'definition' | 'skipped' | 'link';
  id: string;
  def?: QuestionDef;
}

export interface GuideOccurrence extends Base {
  kind: 'guide';
  role: 'reference' | 'definition';
  id: string;
}

export interface RoleOccurrence extends Base {
  kind: 'role';
  role: 'reference' | 'definition';
  id: string;
}

export interface SectionOccurrence extends Base {
  kind: 'section';
  role: 'definition';
  id: string;
  index: number;
}

export type Occurrence = CodeOccurrence | QuestionOccurrence | GuideOccurrence | RoleOccurrence | SectionOccurrence;

const cache = new WeakMap<DocumentModel, Occurrence[]>();

/** Every occurrence in a document model, sorted by start. */
export function occurrencesOf(model: DocumentModel): Occurrence[] {
  let list = cache.get(model);
  if (!list) {
    list = model.kind === 'transcript' ? transcriptOccurrences(model)
      : model.kind === 'guide' ? guideOccurrences(model)
        : codebookOccurrences(model);
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    cache.set(model, list);
  }
  return list;
}

function transcriptOccurrences(m: TranscriptModel): Occurrence[] {
  const out: Occurrence[] = [];
  for (const mk of m.markers) out.push({ kind: 'question', role: 'marker', id: mk.id, start: mk.start, end: mk.end, idStart: mk.start + 1, idEnd: mk.end });
  for (const c of m.codes) out.push({ kind: 'code', role: 'use', path: c.path, start: c.start, end: c.end, idStart: c.start + 1, idEnd: c.end });
  const fm = m.frontMatter;
  if (fm) {
    if (fm.guide) out.push({ kind: 'guide', role: 'reference', id: fm.guide.value, ...located(fm.guide) });
    if (fm.role) out.push({ kind: 'role', role: 'reference', id: fm.role.value, ...located(fm.role) });
    for (const s of fm.skipped) out.push({ kind: 'question', role: 'skipped', id: s.id, ...located(s) });
  }
  return out;
}

function guideOccurrences(g: GuideModel): Occurrence[] {
  const out: Occurrence[] = [];
  if (g.id) out.push({ kind: 'guide', role: 'definition', id: g.id.value, ...located(g.id) });
  for (const r of g.roles) out.push({ kind: 'role', role: 'definition', id: r.id, ...located(r) });
  g.sections.forEach((s, index) => out.push({ kind: 'section', role: 'definition', id: s.id, index, ...located({ start: s.idStart, end: s.idEnd }) }));
  for (const q of g.questions) out.push({ kind: 'question', role: 'definition', id: q.id, def: q, ...located({ start: q.idStart, end: q.idEnd }) });
  return out;
}

function codebookOccurrences(cb: CodebookModel): Occurrence[] {
  const out: Occurrence[] = [];
  for (const def of cb.codes) {
    out.push({ kind: 'code', role: 'definition', path: def.path, def, ...located({ start: def.idStart, end: def.idEnd }) });
    for (const q of def.questions) out.push({ kind: 'question', role: 'link', id: q.value, ...located(q) });
    if (def.replacedBy) out.push({ kind: 'code', role: 'replacedBy', path: def.replacedBy.value, ...located(def.replacedBy) });
  }
  return out;
}

function located(l: { start: number; end: number }): Base {
  return { start: l.start, end: l.end, idStart: l.start, idEnd: l.end };
}

/** The UTF-16 offset of `position` in a model, or undefined when the position lies beyond its line. */
export function offsetIn(model: DocumentModel, position: Position): number | undefined {
  const lines = model.lines;
  if (position.line < 0 || position.line >= lines.lineCount || position.character < 0) return undefined;
  if (position.character > lines.ends[position.line] - lines.starts[position.line]) return undefined;
  return lines.starts[position.line] + position.character;
}

/**
 * The occurrence under `offset`: the cursor may stand anywhere from the token's
 * first character to just after its last (where it stands after typing it).
 * When two tokens touch, the one starting at the cursor wins.
 */
export function occurrenceAtOffset(model: DocumentModel, offset: number): Occurrence | undefined {
  const list = occurrencesOf(model);
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Occurrences never nest, but a zero-width or touching neighbour may precede the candidate.
  for (let i = found; i >= 0 && i >= found - 1; i--) {
    const o = list[i];
    if (o.start <= offset && offset <= o.end) return o;
  }
  return undefined;
}

/** The occurrence under the cursor in a study document. */
export function occurrenceAt(study: Study, uri: string, position: Position): { doc: StudyDocument; occ: Occurrence } | undefined {
  const doc = study.get(uri);
  if (!doc) return undefined;
  const offset = offsetIn(doc.model, position);
  if (offset === undefined) return undefined;
  const occ = occurrenceAtOffset(doc.model, offset);
  return occ ? { doc, occ } : undefined;
}

// ---------------------------------------------------------------- study-wide helpers

/** The range of offsets [start, end) of a study document. */
export function rangeOf(doc: StudyDocument, start: number, end: number): Range {
  return doc.model.lines.range(start, end);
}

/** The location of offsets [start, end) of a study document. */
export function locationOf(doc: StudyDocument, start: number, end: number): Location {
  return { uri: doc.uri, range: rangeOf(doc, start, end) };
}

/** Locations in file path order, then position; duplicates dropped. */
export function sortLocations(study: Study, locations: Location[]): Location[] {
  const paths = new Map<string, string>();
  const pathOf = (uri: string): string => {
    let p = paths.get(uri);
    if (p === undefined) { p = study.get(uri)?.path ?? uri; paths.set(uri, p); }
    return p;
  };
  const cmp = (a: Location, b: Location): number => {
    if (a.uri !== b.uri) {
      const pa = pathOf(a.uri), pb = pathOf(b.uri);
      if (pa !== pb) return pa < pb ? -1 : 1;
      return a.uri < b.uri ? -1 : 1;
    }
    const s = a.range.start, t = b.range.start;
    return s.line - t.line || s.character - t.character || a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character;
  };
  const sorted = [...locations].sort(cmp);
  return sorted.filter((l, i) => i === 0 || cmp(sorted[i - 1], l) !== 0);
}

const followers = new WeakMap<Study, Map<string, TranscriptDocument[]>>();

/** The transcripts that follow `guide` (their `guide:` names it, or it is the study's only guide). */
export function transcriptsFollowing(study: Study, guide: GuideDocument): TranscriptDocument[] {
  let byGuide = followers.get(study);
  if (!byGuide) {
    byGuide = new Map();
    for (const t of study.transcripts()) {
      const r = study.resolveGuide(t.model);
      if (r.status !== 'ok') continue;
      const list = byGuide.get(r.guide.uri);
      if (list) list.push(t); else byGuide.set(r.guide.uri, [t]);
    }
    followers.set(study, byGuide);
  }
  return byGuide.get(guide.uri) ?? [];
}

/**
 * The transcripts that mark question `id` of `guide`, from the study's usage
 * index (so only those documents are visited).
 */
export function transcriptsMarking(study: Study, guide: GuideDocument, id: string): TranscriptDocument[] {
  const asked = study.usage().asked;
  const index = study.guideIndex();
  const keys: string[] = [];
  const gid = guide.model.id?.value;
  if (gid !== undefined && index.byId.get(gid) === guide) keys.push(gid);
  if (index.all.length === 1 && index.all[0] === guide) keys.push('');
  const out: TranscriptDocument[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    for (const uri of asked.get(key)?.get(id) ?? []) {
      if (seen.has(uri)) continue;
      seen.add(uri);
      const doc = study.get(uri);
      // The key is the `guide:` value as written; check the transcript really follows this guide.
      if (doc?.kind === 'transcript') {
        const r = study.resolveGuide(doc.model as TranscriptModel);
        if (r.status === 'ok' && r.guide === guide) out.push(doc as TranscriptDocument);
      }
    }
  }
  return out;
}

/** The transcripts that use code `path` exactly as written, from the study's usage index. */
export function transcriptsUsing(study: Study, path: string): TranscriptDocument[] {
  const out: TranscriptDocument[] = [];
  for (const uri of study.usage().codes.get(path)?.byDoc.keys() ?? []) {
    const doc = study.get(uri);
    if (doc?.kind === 'transcript') out.push(doc as TranscriptDocument);
  }
  return out;
}

/** The guides (in path order) that define question `id`, with that definition. */
export function guidesDefining(study: Study, id: string): { guide: GuideDocument; question: QuestionDef }[] {
  const out: { guide: GuideDocument; question: QuestionDef }[] = [];
  for (const guide of study.guides()) {
    const q = questionMap(guide.model).get(id);
    if (q) out.push({ guide, question: q });
  }
  return out;
}

/** The guide a transcript follows, or undefined. */
export function guideOf(study: Study, doc: StudyDocument): GuideDocument | undefined {
  if (doc.kind !== 'transcript') return undefined;
  const r = study.resolveGuide(doc.model as TranscriptModel);
  return r.status === 'ok' ? r.guide : undefined;
}

/** Which question an occurrence of kind `question` is about: its guide and ID (several guides for a codebook link). */
export function questionTargets(study: Study, doc: StudyDocument, occ: QuestionOccurrence): { guide: GuideDocument; question: QuestionDef }[] {
  if (occ.role === 'definition') {
    const guide = doc as GuideDocument;
    const q = questionMap(guide.model).get(occ.id);
    return q ? [{ guide, question: q }] : [];
  }
  if (occ.role === 'link') return guidesDefining(study, occ.id);
  const guide = guideOf(study, doc);
  const q = guide ? questionMap(guide.model).get(occ.id) : undefined;
  return guide && q ? [{ guide, question: q }] : [];
}
