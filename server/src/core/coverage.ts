/**
 * Coverage (SPEC §4.2): which guide questions a transcript asked, skipped or
 * missed, and the report over a whole study.
 */
import type { AttributeValue, GuideModel, QuestionDef, TranscriptModel } from './model';
import { caseValues, participantOf, questionMap, type GuideDocument, type Study, type TranscriptDocument } from './study';
import { didYouMean, suggestions } from './suggest';

export type Cell = 'asked' | 'skipped' | 'not-asked' | 'not-expected';

export interface TranscriptCoverage {
  asked: number;
  expected: number;
  /** Question ID → cell, for every question and follow-up of the guide (first definition of each ID). */
  cells: Map<string, Cell>;
  /** Indices into `guide.sections` of sections none of whose expected questions were asked (SPEC `missing-section`). */
  missingSections: number[];
}

/** Whether `q` is expected of a participant with `role` (SPEC §2); a retired question never is. */
export function isExpected(q: QuestionDef, role: string | undefined): boolean {
  return !q.optional && !q.retired && (q.roles.length === 0 || (role !== undefined && q.roles.includes(role)));
}

/** The coverage of one transcript against its guide. */
export function transcriptCoverage(model: TranscriptModel, guide: GuideModel): TranscriptCoverage {
  const role = model.frontMatter?.role?.value;
  const askedIds = new Set(model.markers.map((m) => m.id));
  const skippedIds = new Set((model.frontMatter?.skipped ?? []).map((s) => s.id));
  const cells = new Map<string, Cell>();
  let asked = 0;
  let expected = 0;
  const sectionNeeds = new Array<boolean>(guide.sections.length).fill(false);
  const sectionHasMarker = new Array<boolean>(guide.sections.length).fill(false);
  for (const q of questionMap(guide).values()) {
    const exp = isExpected(q, role);
    let cell: Cell;
    if (askedIds.has(q.id)) {
      cell = 'asked';
      sectionHasMarker[q.sectionIndex] = true;
      if (exp) { asked++; expected++; }
    } else if (skippedIds.has(q.id)) {
      cell = 'skipped';
    } else if (exp) {
      cell = 'not-asked';
      expected++;
    } else {
      cell = 'not-expected';
    }
    if (exp && !skippedIds.has(q.id)) sectionNeeds[q.sectionIndex] = true;
    cells.set(q.id, cell);
  }
  const missingSections: number[] = [];
  sectionNeeds.forEach((needs, i) => { if (needs && !sectionHasMarker[i]) missingSections.push(i); });
  return { asked, expected, cells, missingSections };
}

/** `asked/expected` as a whole percentage, or null when nothing is expected (shown as `—`). */
export function percent(asked: number, expected: number): number | null {
  return expected === 0 ? null : Math.round((asked / expected) * 100);
}

// ---------------------------------------------------------------- the report

export interface ReportQuestion {
  id: string;
  text: string;
  /** The question this one follows up, or null. */
  parent: string | null;
  optional: boolean;
  /** When to ask it, as the guide says (absent when it says nothing). */
  condition?: string;
  /** Dropped from the guide: never expected, shown apart from its section (absent when false). */
  retired?: boolean;
  roles: string[];
  /** How many of the report's transcripts asked it where it was expected, and of how many it was expected. */
  askedIn: number;
  expectedIn: number;
  /** How many asked it at all (optional questions and other roles' questions included). */
  askedAnyIn: number;
}

export interface ReportSection {
  id: string;
  title: string;
  roles: string[];
  questions: ReportQuestion[];
  asked: number;
  expected: number;
}

/** The case a transcript records, as every per-transcript row of a report names it. */
export interface CaseFields {
  /** The path relative to the study's folder. */
  file: string;
  /** The document key (URI in the editor), so clients can open it. */
  uri: string;
  participant: string;
  role: string | null;
  /** The other front-matter keys (SPEC §4.1) with their YAML types: lists stay lists, numbers numbers (SPEC §10). */
  attributes: Record<string, AttributeValue>;
}

export function caseFields(t: TranscriptDocument): CaseFields {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of t.model.frontMatter?.attributes ?? []) attributes[a.key] = a.typed;
  return { file: t.path, uri: t.uri, participant: participantOf(t), role: t.model.frontMatter?.role?.value ?? null, attributes };
}

export interface ReportTranscript extends CaseFields {
  asked: number;
  expected: number;
  percent: number | null;
  cells: Record<string, Cell>;
  /** Expected questions with no marker, in guide order. */
  missing: string[];
  /** Why each `skipped` cell was skipped, where the front matter gives a reason: question ID → reason. */
  skipReasons?: Record<string, string>;
}

export interface GuideReport {
  id: string;
  title: string;
  file: string;
  uri: string;
  roles: { id: string; label: string }[];
  sections: ReportSection[];
  transcripts: ReportTranscript[];
  asked: number;
  expected: number;
  percent: number | null;
}

/** A transcript whose guide was not found: counted in no guide's coverage, and listed apart so that it is not lost. */
export interface UnresolvedTranscript extends CaseFields {
  /** The guide ID its `guide:` names, which no guide of the study has; null when it names none (and the study has not exactly one guide). */
  guide: string | null;
}

export interface CoverageReport {
  guides: GuideReport[];
  /** The `--where` filter the transcripts were chosen by, when there was one: key → accepted values. */
  filter?: Record<string, string[]>;
  /** The transcripts (chosen by the filter) whose guide was not found, in path order; absent when there are none. */
  unresolved?: UnresolvedTranscript[];
}

/** A transcript filter from `--where KEY=VALUE` pairs: different keys must all match; one key given twice matches either value. */
export type CaseFilter = Map<string, Set<string>>;

export function matchesFilter(doc: TranscriptDocument, filter: CaseFilter | undefined): boolean {
  if (!filter || filter.size === 0) return true;
  const values = caseValues(doc);
  for (const [key, allowed] of filter) {
    const v = values[key];
    // A list matches when it holds one of the values (SPEC §10).
    if (v === undefined || (Array.isArray(v) ? !v.some((x) => allowed.has(x)) : !allowed.has(v))) return false;
  }
  return true;
}

/**
 * What a `--where` filter or a `--by` key asks for that no transcript of the study has: a key in no front matter,
 * or a value no transcript has for its key, each said once with the nearest keys or values (a value differing only
 * in case first). Empty when every key and value occurs somewhere.
 */
export function unmatchedCase(study: Study, filter: CaseFilter | undefined, byKey?: string): string[] {
  if ((!filter || filter.size === 0) && byKey === undefined) return [];
  const valuesOf = new Map<string, Set<string>>();
  for (const t of study.transcripts()) {
    for (const [k, v] of Object.entries(caseValues(t))) {
      let set = valuesOf.get(k);
      if (!set) { set = new Set(); valuesOf.set(k, set); }
      for (const x of Array.isArray(v) ? v : [v]) set.add(x);
    }
  }
  const quote = (n: string): string => `'${n}'`;
  const noKey = (option: string, key: string): string =>
    `${option}: no transcript has '${key}' in its front matter.${didYouMean(suggestions(key, valuesOf.keys()), '', quote)}`;
  const out: string[] = [];
  for (const [key, wanted] of filter ?? []) {
    const have = valuesOf.get(key);
    if (!have) { out.push(noKey(`--where ${key}`, key)); continue; }
    for (const value of wanted) {
      if (have.has(value)) continue;
      const sameButCase = [...have].filter((h) => h.toLowerCase() === value.toLowerCase());
      const near = sameButCase.length ? sameButCase : suggestions(value, have);
      out.push(`--where ${key}=${value}: no transcript has ${key} ${quote(value)}.${didYouMean(near, '', quote)}`);
    }
  }
  if (byKey !== undefined && !valuesOf.has(byKey)) out.push(`${noKey(`--by ${byKey}`, byKey)} Every transcript is counted under (none).`);
  return out;
}

/** The coverage report of every guide of the study over the transcripts that follow it. */
export function coverageReport(study: Study, filter?: CaseFilter): CoverageReport {
  const byGuide = new Map<GuideDocument, TranscriptDocument[]>();
  const unresolved: UnresolvedTranscript[] = [];
  for (const g of study.guides()) byGuide.set(g, []);
  for (const t of study.transcripts()) {
    if (!matchesFilter(t, filter)) continue;
    const r = study.resolveGuide(t.model);
    if (r.status === 'ok') byGuide.get(r.guide)!.push(t);
    else unresolved.push({ ...caseFields(t), guide: r.status === 'unknown' ? r.id : null });
  }
  const guides: GuideReport[] = [];
  for (const [g, transcripts] of byGuide) {
    // Guides that share an ID with an earlier one take no transcripts; they are reported as duplicates.
    if (g.model.id && study.guideIndex().byId.get(g.model.id.value) !== g) continue;
    guides.push(guideReport(g, transcripts));
  }
  const report: CoverageReport = { guides };
  if (filter && filter.size > 0) report.filter = Object.fromEntries([...filter].map(([k, v]) => [k, [...v]]));
  if (unresolved.length > 0) report.unresolved = unresolved;
  return report;
}

function guideReport(g: GuideDocument, docs: TranscriptDocument[]): GuideReport {
  const model = g.model;
  const qmap = questionMap(model);
  const rows: ReportTranscript[] = docs.map((t) => {
    const cov = transcriptCoverage(t.model, model);
    const cells: Record<string, Cell> = {};
    const missing: string[] = [];
    for (const [id, cell] of cov.cells) {
      cells[id] = cell;
      if (cell === 'not-asked') missing.push(id);
    }
    const skipReasons: Record<string, string> = {};
    for (const s of t.model.frontMatter?.skipped ?? []) {
      if (s.reason !== undefined && s.reason.trim() !== '' && cells[s.id] === 'skipped' && !(s.id in skipReasons)) skipReasons[s.id] = s.reason;
    }
    return {
      ...caseFields(t), asked: cov.asked, expected: cov.expected, percent: percent(cov.asked, cov.expected), cells, missing, skipReasons,
    };
  });
  const roleOf = new Map(docs.map((t, i) => [rows[i], t.model.frontMatter?.role?.value]));
  const sections: ReportSection[] = model.sections.map((s, si) => {
    const questions: ReportQuestion[] = [];
    for (const q of qmap.values()) {
      if (q.sectionIndex !== si) continue;
      let askedIn = 0;
      let expectedIn = 0;
      let askedAnyIn = 0;
      for (const row of rows) {
        const cell = row.cells[q.id];
        const exp = isExpected(q, roleOf.get(row));
        if (cell === 'asked') {
          askedAnyIn++;
          if (exp) { askedIn++; expectedIn++; }
        } else if (cell === 'not-asked') expectedIn++;
      }
      const question: ReportQuestion = {
        id: q.id, text: q.text, parent: q.parentId ?? null, optional: q.optional, roles: q.roles, askedIn, expectedIn, askedAnyIn,
      };
      if (q.condition !== undefined) question.condition = q.condition;
      if (q.retired) question.retired = true;
      questions.push(question);
    }
    const asked = questions.reduce((n, q) => n + q.askedIn, 0);
    const expected = questions.reduce((n, q) => n + q.expectedIn, 0);
    return { id: s.id, title: s.title, roles: s.roles ?? [], questions, asked, expected };
  });
  const asked = rows.reduce((n, r) => n + r.asked, 0);
  const expected = rows.reduce((n, r) => n + r.expected, 0);
  return {
    id: model.id?.value ?? '', title: model.title?.value ?? '', file: g.path, uri: g.uri,
    roles: model.roles.map((r) => ({ id: r.id, label: r.label })),
    sections, transcripts: rows, asked, expected, percent: percent(asked, expected),
  };
}
