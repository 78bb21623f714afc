/**
 * The study index: every guide, codebook and transcript of one study folder,
 * resolved together. A `Study` is an immutable snapshot; `withDocument` and
 * `withoutDocument` return a new one and carry over whatever the change cannot
 * affect, so an edit to one transcript costs work proportional to that transcript.
 */
import { privacyProblems, type PrivacyRules } from './privacy/scan';
import { parseCodebook } from './codebook';
import { parseGuide } from './guide';
import { fileKind, parentPath, type FileKind } from './ids';
import type { AttributeValue, CodebookModel, CodeDef, DocumentModel, GuideModel, QuestionDef, SectionDef, TranscriptModel } from './model';
import { buildParticipantIndex, fileParticipant, participantEntry, updateParticipantIndex, type ParticipantEntry, type ParticipantIndex } from './participants';
import { parseTranscript } from './transcript';

export interface StudyDocument<M extends DocumentModel = DocumentModel> {
  /** The document's key: a URI in the editor, a relative path in the CLI. */
  uri: string;
  /** Path relative to the study folder, `/`-separated: the order of "file path order". */
  path: string;
  kind: FileKind;
  model: M;
  /**
   * The editor's version of the text `model` was parsed from, when it came from an open document:
   * what lets a caller holding a text and its version know that the model is that text's.
   */
  version?: number;
}

export type GuideDocument = StudyDocument<GuideModel>;
export type CodebookDocument = StudyDocument<CodebookModel>;
export type TranscriptDocument = StudyDocument<TranscriptModel>;

export interface CodeEntry {
  doc: CodebookDocument;
  def: CodeDef;
}

export interface QuestionEntry {
  guide: GuideDocument;
  question: QuestionDef;
  section: SectionDef | undefined;
}

export interface GuideIndex {
  /** Guides in path order. */
  all: GuideDocument[];
  /** The first guide (in path order) with each ID. */
  byId: Map<string, GuideDocument>;
  /** Every question ID of every guide, to check codebook references. */
  questionIds: Set<string>;
}

export interface CodeIndex {
  /** Every code definition in path order, then position. */
  all: CodeEntry[];
  /** The first definition of each path: the one hovers and navigation use. */
  byPath: Map<string, CodeEntry>;
  /** Lower-cased path → known paths, to spot `#Benefit` meant as `benefit`. */
  byLowerPath: Map<string, string[]>;
  /** Paths of the direct children of each path ('' for top level), in order. */
  children: Map<string, string[]>;
}

/** What one transcript adds to the study-wide figures. */
export interface Contribution {
  /** Code path as written → number of distinct segments coded with it. */
  codes: Map<string, number>;
  /** The `guide:` value as written ('' when absent) and the question IDs marked. */
  guideKey: string;
  asked: Set<string>;
}

export interface CodeUsage {
  segments: number;
  /** Transcript URI → segments in it. */
  byDoc: ReadonlyMap<string, number>;
}

/** Study-wide usage, built from transcripts alone (so guide and codebook edits leave it be). */
export interface UsageIndex {
  codes: ReadonlyMap<string, CodeUsage>;
  /** guideKey → question ID → transcripts that mark it. */
  asked: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

export type GuideResolution =
  | { status: 'ok'; guide: GuideDocument }
  | { status: 'missing'; guideCount: number }
  | { status: 'unknown'; id: string };

const contributions = new WeakMap<TranscriptModel, Contribution>();

/**
 * Parses a study file according to its kind. A transcript's problems include what it gives away
 * (SPEC §13): identifying details always, and the names of `privacy.names` when the study has a list.
 */
export function parseDocument(kind: FileKind, text: string, privacy: PrivacyRules = NO_PRIVACY_RULES): DocumentModel {
  switch (kind) {
    case 'guide': return parseGuide(text);
    case 'codebook': return parseCodebook(text);
    case 'transcript': {
      const model = parseTranscript(text);
      const found = privacyProblems(text, model, privacy);
      if (found.length) model.problems.push(...found);
      return model;
    }
  }
}

/** No names list: identifying details are still found. */
export const NO_PRIVACY_RULES: PrivacyRules = Object.freeze({});

function byPath(a: StudyDocument, b: StudyDocument): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

export class Study {
  private guideCache?: GuideIndex;
  private codeCache?: CodeIndex;
  private usageCache?: UsageIndex;
  private sortedCache?: StudyDocument[];
  private participantCache?: ParticipantIndex;

  /**
   * `privacy` is what new transcript texts are checked against (the study's names list); the models
   * given to the study are the caller's, parsed with the same rules.
   */
  private constructor(private readonly docs: ReadonlyMap<string, StudyDocument>, readonly privacy: PrivacyRules = NO_PRIVACY_RULES) {}

  static empty(privacy?: PrivacyRules): Study {
    return new Study(new Map(), privacy);
  }

  /**
   * A study made of `files` at once (used by the CLI, the server's start-up scan and tests).
   * A file may come already parsed (`model`, from `parseDocument` with its kind), so that a
   * caller can parse in batches and stay responsive.
   */
  static fromFiles(files: Iterable<({ uri: string; path: string; text: string } | { uri: string; path: string; model: DocumentModel }) & { version?: number }>, privacy?: PrivacyRules): Study {
    const docs = new Map<string, StudyDocument>();
    for (const f of files) {
      const kind = fileKind(f.path);
      if (!kind) continue;
      const doc: StudyDocument = { uri: f.uri, path: f.path, kind, model: 'model' in f ? f.model : parseDocument(kind, f.text, privacy) };
      if (f.version !== undefined) doc.version = f.version;
      docs.set(f.uri, doc);
    }
    return new Study(docs, privacy);
  }

  /**
   * The study with `uri` set to `text` (added, or replacing its earlier text), `version` being the
   * editor's version of that text when it is an open document's. Files that are no study files are ignored.
   */
  withDocument(uri: string, path: string, text: string, version?: number): Study {
    const kind = fileKind(path);
    if (!kind) return this.withoutDocument(uri);
    const doc: StudyDocument = { uri, path, kind, model: parseDocument(kind, text, this.privacy) };
    if (version !== undefined) doc.version = version;
    return this.withModel(doc);
  }

  /** The study with an already parsed document set. */
  withModel(doc: StudyDocument): Study {
    const docs = new Map(this.docs);
    const old = docs.get(doc.uri);
    docs.set(doc.uri, doc);
    return this.derive(docs, old, doc);
  }

  withoutDocument(uri: string): Study {
    const old = this.docs.get(uri);
    if (!old) return this;
    const docs = new Map(this.docs);
    docs.delete(uri);
    return this.derive(docs, old, undefined);
  }

  private derive(docs: Map<string, StudyDocument>, old: StudyDocument | undefined, next: StudyDocument | undefined): Study {
    const s = new Study(docs, this.privacy);
    const kinds = new Set([old?.kind, next?.kind]);
    if (!kinds.has('guide')) s.guideCache = this.guideCache;
    if (!kinds.has('codebook')) s.codeCache = this.codeCache;
    if (!kinds.has('transcript')) s.usageCache = this.usageCache;
    else if (this.usageCache) {
      s.usageCache = updateUsage(
        this.usageCache,
        old?.kind === 'transcript' ? old as TranscriptDocument : undefined,
        next?.kind === 'transcript' ? next as TranscriptDocument : undefined,
      );
    }
    if (!kinds.has('transcript')) s.participantCache = this.participantCache;
    else if (this.participantCache) {
      const entry = (d: StudyDocument | undefined): ParticipantEntry | undefined =>
        (d?.kind === 'transcript' ? participantEntry(d.uri, d.path, d.model as TranscriptModel) : undefined);
      s.participantCache = updateParticipantIndex(this.participantCache, (next ?? old)!.uri, entry(old), entry(next));
    }
    if (old && next && old.path === next.path && this.sortedCache) {
      s.sortedCache = this.sortedCache.map((d) => (d.uri === next.uri ? next : d));
    }
    return s;
  }

  get size(): number {
    return this.docs.size;
  }

  get(uri: string): StudyDocument | undefined {
    return this.docs.get(uri);
  }

  /** Every document, in file path order. */
  documents(): StudyDocument[] {
    if (!this.sortedCache) this.sortedCache = [...this.docs.values()].sort(byPath);
    return this.sortedCache;
  }

  guides(): GuideDocument[] {
    return this.guideIndex().all;
  }

  codebooks(): CodebookDocument[] {
    return this.documents().filter((d): d is CodebookDocument => d.kind === 'codebook');
  }

  transcripts(): TranscriptDocument[] {
    return this.documents().filter((d): d is TranscriptDocument => d.kind === 'transcript');
  }

  guideIndex(): GuideIndex {
    if (!this.guideCache) {
      const all = this.documents().filter((d): d is GuideDocument => d.kind === 'guide');
      const byId = new Map<string, GuideDocument>();
      const questionIds = new Set<string>();
      for (const g of all) {
        const id = g.model.id?.value;
        if (id !== undefined && !byId.has(id)) byId.set(id, g);
        for (const q of g.model.questions) questionIds.add(q.id);
      }
      this.guideCache = { all, byId, questionIds };
    }
    return this.guideCache;
  }

  codeIndex(): CodeIndex {
    if (!this.codeCache) {
      const all: CodeEntry[] = [];
      const byPathMap = new Map<string, CodeEntry>();
      const byLowerPath = new Map<string, string[]>();
      const children = new Map<string, string[]>();
      for (const doc of this.codebooks()) {
        for (const def of doc.model.codes) {
          const entry = { doc, def };
          all.push(entry);
          if (byPathMap.has(def.path)) continue;
          byPathMap.set(def.path, entry);
          const lower = def.path.toLowerCase();
          const same = byLowerPath.get(lower);
          if (same) same.push(def.path); else byLowerPath.set(lower, [def.path]);
          const parent = def.parent ?? '';
          const siblings = children.get(parent);
          if (siblings) siblings.push(def.path); else children.set(parent, [def.path]);
        }
      }
      this.codeCache = { all, byPath: byPathMap, byLowerPath, children };
    }
    return this.codeCache;
  }

  usage(): UsageIndex {
    if (!this.usageCache) {
      // Built in one pass over fresh maps: swapping contributions in one by one would copy the maps for every transcript.
      const codes = new Map<string, { segments: number; byDoc: Map<string, number> }>();
      const asked = new Map<string, Map<string, Set<string>>>();
      for (const t of this.transcripts()) {
        const c = contributionOf(t.model);
        for (const [path, n] of c.codes) {
          const u = codes.get(path) ?? { segments: 0, byDoc: new Map<string, number>() };
          u.segments += n;
          u.byDoc.set(t.uri, n);
          codes.set(path, u);
        }
        if (c.asked.size === 0) continue;
        const byId = asked.get(c.guideKey) ?? new Map<string, Set<string>>();
        asked.set(c.guideKey, byId);
        for (const id of c.asked) byId.set(id, (byId.get(id) ?? new Set<string>()).add(t.uri));
      }
      this.usageCache = { codes, asked };
    }
    return this.usageCache;
  }

  /**
   * Participant label → the transcripts naming it, in path order: the study's transcripts, or the
   * entries given to `withParticipants` (a checker that holds one transcript at a time gives them all).
   */
  participants(): ParticipantIndex {
    if (!this.participantCache) {
      this.participantCache = buildParticipantIndex(this.transcripts().map((t) => participantEntry(t.uri, t.path, t.model)));
    }
    return this.participantCache;
  }

  /**
   * The study with its participant index made of `entries`, so that a study holding one transcript at a
   * time still knows every transcript's participant. A transcript set into it later replaces its entry.
   */
  withParticipants(entries: Iterable<ParticipantEntry>): Study {
    const s = new Study(this.docs);
    s.guideCache = this.guideCache;
    s.codeCache = this.codeCache;
    s.usageCache = this.usageCache;
    s.sortedCache = this.sortedCache;
    s.participantCache = buildParticipantIndex(entries);
    return s;
  }

  /** The guide a transcript follows: its `guide:` value, or the study's only guide. */
  resolveGuide(model: TranscriptModel): GuideResolution {
    return this.resolveGuideKey(model.frontMatter?.guide?.value);
  }

  /** The guide that a `guide:` value (undefined when absent) leads to. */
  resolveGuideKey(id: string | undefined): GuideResolution {
    const index = this.guideIndex();
    if (id !== undefined) {
      const guide = index.byId.get(id);
      return guide ? { status: 'ok', guide } : { status: 'unknown', id };
    }
    if (index.all.length === 1) return { status: 'ok', guide: index.all[0] };
    return { status: 'missing', guideCount: index.all.length };
  }

  /** The first definition of a question ID in a guide, with its section. */
  question(guide: GuideDocument, id: string): QuestionEntry | undefined {
    const q = questionMap(guide.model).get(id);
    return q ? { guide, question: q, section: guide.model.sections[q.sectionIndex] } : undefined;
  }

  /** The guide questions a code is linked to: its own, or its nearest ancestor's that has any. */
  linkedQuestions(path: string): string[] {
    const index = this.codeIndex();
    for (let p: string | null = path; p !== null; p = parentPath(p)) {
      const entry = index.byPath.get(p);
      if (entry && entry.def.questions.length > 0) return entry.def.questions.map((q) => q.value);
    }
    return [];
  }

  /** How many transcripts mark question `id` of `guide`. */
  askedCount(guide: GuideDocument, id: string): number {
    const asked = this.usage().asked;
    let n = asked.get(guide.model.id?.value ?? '\u0000')?.get(id)?.size ?? 0;
    // Transcripts without `guide:` follow the study's only guide.
    if (this.guideIndex().all.length === 1) n += asked.get('')?.get(id)?.size ?? 0;
    return n;
  }
}

const questionMaps = new WeakMap<GuideModel, Map<string, QuestionDef>>();

/** Question ID → its first definition in the guide. */
export function questionMap(guide: GuideModel): Map<string, QuestionDef> {
  let map = questionMaps.get(guide);
  if (!map) {
    map = new Map();
    for (const q of guide.questions) if (!map.has(q.id)) map.set(q.id, q);
    questionMaps.set(guide, map);
  }
  return map;
}

/** The IDs of a section's first few questions (not follow-ups, not retired): what to mark instead of the section. */
export function sectionQuestionIds(section: SectionDef, max = 3): string[] {
  return section.questions.filter((q) => !q.retired).slice(0, max).map((q) => q.id);
}

/** The distinct coded segments of a transcript, as (code, start, end), in document order. */
export function distinctSegments(model: TranscriptModel): { path: string; start: number; end: number; use: number }[] {
  const seen = new Set<string>();
  const out: { path: string; start: number; end: number; use: number }[] = [];
  model.codes.forEach((c, i) => {
    const key = `${c.path}\u0000${c.segStart}\u0000${c.segEnd}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path: c.path, start: c.segStart, end: c.segEnd, use: i });
  });
  return out;
}

export function contributionOf(model: TranscriptModel): Contribution {
  let c = contributions.get(model);
  if (!c) {
    const codes = new Map<string, number>();
    for (const s of distinctSegments(model)) codes.set(s.path, (codes.get(s.path) ?? 0) + 1);
    c = { codes, guideKey: model.frontMatter?.guide?.value ?? '', asked: new Set(model.markers.map((m) => m.id)) };
    contributions.set(model, c);
  }
  return c;
}

/** The usage index with one transcript's contribution swapped; copies only what changes. */
function updateUsage(usage: UsageIndex, old: TranscriptDocument | undefined, next: TranscriptDocument | undefined): UsageIndex {
  const before = old ? contributionOf(old.model) : undefined;
  const after = next ? contributionOf(next.model) : undefined;
  const uri = (next ?? old)!.uri;

  let codes = usage.codes as Map<string, CodeUsage>;
  let codesCopied = false;
  const setCode = (path: string, count: number, prev: number): void => {
    if (count === prev) return;
    if (!codesCopied) { codes = new Map(codes); codesCopied = true; }
    const u = codes.get(path);
    const byDoc = new Map(u?.byDoc ?? []);
    if (count > 0) byDoc.set(uri, count); else byDoc.delete(uri);
    const segments = (u?.segments ?? 0) - prev + count;
    if (byDoc.size === 0) codes.delete(path); else codes.set(path, { segments, byDoc });
  };
  if (before) for (const [path, n] of before.codes) if (!after?.codes.has(path)) setCode(path, 0, n);
  if (after) for (const [path, n] of after.codes) setCode(path, n, before?.codes.get(path) ?? 0);

  let asked = usage.asked as Map<string, Map<string, Set<string>>>;
  const sameGuide = before && after && before.guideKey === after.guideKey;
  const changedIds = new Set<string>();
  if (!sameGuide || !before || !after) {
    for (const id of before?.asked ?? []) changedIds.add(id);
    for (const id of after?.asked ?? []) changedIds.add(id);
  } else {
    for (const id of before.asked) if (!after.asked.has(id)) changedIds.add(id);
    for (const id of after.asked) if (!before.asked.has(id)) changedIds.add(id);
  }
  if (changedIds.size > 0) {
    asked = new Map(asked);
    const edit = (key: string, id: string, add: boolean): void => {
      const byId = new Map(asked.get(key) ?? []);
      const set = new Set(byId.get(id) ?? []);
      if (add) set.add(uri); else set.delete(uri);
      if (set.size) byId.set(id, set); else byId.delete(id);
      if (byId.size) asked.set(key, byId); else asked.delete(key);
    };
    for (const id of changedIds) {
      if (before?.asked.has(id)) edit(before.guideKey, id, false);
      if (after?.asked.has(id)) edit(after.guideKey, id, true);
    }
  }
  return { codes, asked };
}

/** The participant's label: `participant:` or the file name without extension. */
export function participantOf(doc: TranscriptDocument): string {
  const p = doc.model.frontMatter?.participant?.value;
  if (p !== undefined && p !== '') return p;
  return fileParticipant(doc.path);
}

/**
 * Front-matter values of a transcript as text (for `--where`, `--by` and report columns): a scalar as written,
 * a list as the text of each item.
 */
export function caseValues(doc: TranscriptDocument): Record<string, string | string[]> {
  const fm = doc.model.frontMatter;
  const out: Record<string, string | string[]> = {};
  if (fm?.guide) out.guide = fm.guide.value;
  out.participant = participantOf(doc);
  if (fm?.role) out.role = fm.role.value;
  for (const a of fm?.attributes ?? []) out[a.key] = Array.isArray(a.typed) ? a.typed.map(String) : a.value;
  return out;
}

/** An attribute value as one piece of text, for a table cell: a list's items joined by `; `. */
export function attributeText(v: AttributeValue): string {
  return Array.isArray(v) ? v.map(String).join('; ') : String(v);
}
