/**
 * Go to definition and find references (SPEC §6). References visit only the
 * documents that can hold the item: the study's usage index names the
 * transcripts that use a code or mark a question; codebooks are few and
 * scanned whole; `skipped` entries are read from the transcripts following the guide.
 */
import type { CodeUse, TranscriptModel } from '../model';
import { questionMap, type GuideDocument, type Study, type StudyDocument } from '../study';
import type { Position, Range } from '../text';
import {
  guideOf,
  locationOf,
  occurrenceAt,
  occurrencesOf,
  questionTargets,
  sortLocations,
  transcriptsFollowing,
  transcriptsMarking,
  transcriptsUsing,
  type CodeOccurrence,
  type Occurrence,
} from './occurrences';
import type { Location } from './types';

/** Where the item under the cursor is defined. */
export function getDefinition(study: Study, uri: string, position: Position): Location[] {
  const at = occurrenceAt(study, uri, position);
  if (!at) return [];
  const { doc, occ } = at;
  switch (occ.kind) {
    case 'code': {
      const entry = study.codeIndex().byPath.get(occ.path);
      return entry ? [locationOf(entry.doc, entry.def.idStart, entry.def.idEnd)] : [];
    }
    case 'question':
      return questionTargets(study, doc, occ).map((t) => locationOf(t.guide, t.question.idStart, t.question.idEnd));
    case 'guide': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : study.guideIndex().byId.get(occ.id);
      return guide?.model.id ? [locationOf(guide, guide.model.id.start, guide.model.id.end)] : [];
    }
    case 'role': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : guideOf(study, doc);
      const role = guide?.model.roles.find((r) => r.id === occ.id);
      return guide && role ? [locationOf(guide, role.start, role.end)] : [];
    }
    case 'section':
      return [locationOf(doc, occ.idStart, occ.idEnd)];
  }
}

/** Every use of the item under the cursor in the study, its definition too when `includeDeclaration`. */
export function getReferences(study: Study, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const answer = referenceGroups(study, uri, position, includeDeclaration);
  const out: Location[] = [];
  for (const { doc, ranges } of answer?.groups ?? []) for (const range of ranges) out.push({ uri: doc.uri, range });
  return out;
}

/** The answer of `getReferences`, one document at a time, for a caller that must be able to stop between documents. */
export interface ReferenceGroups {
  /**
   * What the answer is about, as a name unique within the study, for the answers worth keeping:
   * those on a code, which can hold thousands of uses. Undefined for the rest.
   */
  key: string | undefined;
  /** The documents and their ranges in answer order (file path order, then position), computed as they are read (once). */
  groups: Iterable<{ doc: StudyDocument; ranges: Range[] }>;
}

/** `getReferences`' answer by document; undefined when there is nothing under the cursor. */
export function referenceGroups(study: Study, uri: string, position: Position, includeDeclaration: boolean): ReferenceGroups | undefined {
  const at = occurrenceAt(study, uri, position);
  if (!at) return undefined;
  const { doc, occ } = at;
  if (occ.kind === 'code') {
    return { key: `code ${includeDeclaration ? 'with' : 'without'} definition ${occ.path}`, groups: codeReferenceGroups(study, occ.path, includeDeclaration) };
  }
  return { key: undefined, groups: byDocument(study, otherReferences(study, doc, occ, includeDeclaration)) };
}

function otherReferences(study: Study, doc: StudyDocument, occ: Exclude<Occurrence, CodeOccurrence>, includeDeclaration: boolean): Location[] {
  switch (occ.kind) {
    case 'question': {
      const targets = questionTargets(study, doc, occ);
      if (targets.length === 0) {
        // An unknown question: its uses in this document are all there is to show.
        return sortLocations(study, occurrencesOf(doc.model)
          .filter((o) => o.kind === 'question' && o.id === occ.id && o.role === occ.role)
          .map((o) => locationOf(doc, o.idStart, o.idEnd)));
      }
      return sortLocations(study, targets.flatMap((t) => questionReferences(study, t.guide, occ.id, includeDeclaration)));
    }
    case 'guide':
      return guideReferences(study, occ.role === 'definition' ? doc as GuideDocument : study.guideIndex().byId.get(occ.id), occ.id, includeDeclaration);
    case 'role': {
      const guide = occ.role === 'definition' ? doc as GuideDocument : guideOf(study, doc);
      return guide ? roleReferences(study, guide, occ.id, includeDeclaration) : [];
    }
    case 'section':
      return includeDeclaration ? [locationOf(doc, occ.idStart, occ.idEnd)] : [];
  }
}

/** Sorted locations as groups of consecutive locations in one document. */
function byDocument(study: Study, locations: Location[]): { doc: StudyDocument; ranges: Range[] }[] {
  const groups: { doc: StudyDocument; ranges: Range[] }[] = [];
  for (const l of locations) {
    const last = groups[groups.length - 1];
    if (last && last.doc.uri === l.uri) last.ranges.push(l.range);
    else {
      const doc = study.get(l.uri);
      if (doc) groups.push({ doc, ranges: [l.range] });
    }
  }
  return groups;
}

/**
 * Uses of code `path` exactly as written (transcript codes, `replacedBy` values, and definitions
 * when asked), by document. Each document's uses are already in position order, so ordering the
 * documents by path orders the answer: a code used thousands of times is not sorted location by
 * location. A transcript's ranges are made only when its group is read.
 */
function* codeReferenceGroups(study: Study, path: string, includeDeclaration: boolean): Generator<{ doc: StudyDocument; ranges: Range[] }> {
  const groups: { doc: StudyDocument; ranges?: Range[] }[] = transcriptsUsing(study, path).map((doc) => ({ doc }));
  for (const cb of study.codebooks()) {
    const locations: Location[] = [];
    for (const o of occurrencesOf(cb.model)) {
      if (o.kind !== 'code' || o.path !== path) continue;
      if (o.role === 'replacedBy' || includeDeclaration) locations.push(locationOf(cb, o.idStart, o.idEnd));
    }
    if (locations.length) groups.push({ doc: cb, ranges: sortLocations(study, locations).map((l) => l.range) });
  }
  groups.sort((a, b) => (a.doc.path < b.doc.path ? -1 : a.doc.path > b.doc.path ? 1 : a.doc.uri < b.doc.uri ? -1 : a.doc.uri > b.doc.uri ? 1 : 0));
  for (const g of groups) {
    const lines = g.doc.model.lines;
    yield { doc: g.doc, ranges: g.ranges ?? codeUsesOf(g.doc.model as TranscriptModel, path).map((c) => lines.range(c.start + 1, c.end)) };
  }
}

const codeUses = new WeakMap<TranscriptModel, Map<string, CodeUse[]>>();

/** A transcript's code tokens by path, in document order; built once per parsed model. */
function codeUsesOf(model: TranscriptModel, path: string): CodeUse[] {
  let byPath = codeUses.get(model);
  if (!byPath) {
    byPath = new Map();
    for (const c of model.codes) {
      const list = byPath.get(c.path);
      if (list) list.push(c); else byPath.set(c.path, [c]);
    }
    codeUses.set(model, byPath);
  }
  return byPath.get(path) ?? [];
}

/**
 * Uses of question `id` of `guide`: markers and `skipped` entries in the
 * transcripts that follow the guide, codebook `questions` entries, and the
 * question's `id` in the guide when asked.
 */
export function questionReferences(study: Study, guide: GuideDocument, id: string, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  if (includeDeclaration) {
    for (const q of guide.model.questions) if (q.id === id) out.push(locationOf(guide, q.idStart, q.idEnd));
  }
  for (const t of transcriptsMarking(study, guide, id)) {
    for (const m of t.model.markers) if (m.id === id) out.push(locationOf(t, m.start + 1, m.end));
  }
  for (const t of transcriptsFollowing(study, guide)) {
    for (const s of t.model.frontMatter?.skipped ?? []) if (s.id === id) out.push(locationOf(t, s.start, s.end));
  }
  if (questionMap(guide.model).has(id)) {
    for (const cb of study.codebooks()) {
      for (const def of cb.model.codes) for (const q of def.questions) if (q.value === id) out.push(locationOf(cb, q.start, q.end));
    }
  }
  return sortLocations(study, out);
}

function guideReferences(study: Study, guide: GuideDocument | undefined, id: string, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  if (includeDeclaration && guide?.model.id) out.push(locationOf(guide, guide.model.id.start, guide.model.id.end));
  for (const t of study.transcripts()) {
    const g = t.model.frontMatter?.guide;
    if (g && g.value === id) out.push(locationOf(t, g.start, g.end));
  }
  return sortLocations(study, out);
}

function roleReferences(study: Study, guide: GuideDocument, id: string, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  const role = guide.model.roles.find((r) => r.id === id);
  if (includeDeclaration && role) out.push(locationOf(guide, role.start, role.end));
  for (const t of transcriptsFollowing(study, guide)) {
    const r = t.model.frontMatter?.role;
    if (r && r.value === id) out.push(locationOf(t, r.start, r.end));
  }
  return sortLocations(study, out);
}

