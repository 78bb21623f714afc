/**
 * Core values → the wire types of protocol.ts, in one place. The CLI's JSON and the server's
 * results are both made here, field by field, so a change in the core's models changes the
 * protocol only where this file says so (and the compiler points here when a field goes).
 */
import type { AgreementFigures as CoreAgreementFigures, AgreementResult } from './core/agreement';
import type { CodeCountRow as CoreCodeCountRow, SegmentRow as CoreSegmentRow } from './core/counts';
import type {
  CoverageReport as CoreCoverageReport, GuideReport, ReportQuestion, ReportSection, ReportTranscript, UnresolvedTranscript,
} from './core/coverage';
import type { CodeCandidate as CoreCodeCandidate } from './core/features/codeSelection';
import type { CodeDecorationInfo, CodeDefinitionInfo } from './core/features/definitions';
import type { Location } from './core/features/types';
import type { Matrix } from './core/matrix';
import type { MemoRow as CoreMemoRow } from './core/memos';
import type { Range } from './core/text';
import type {
  AgreementFigures, AgreementReport,
  CodeCandidate, CodeCountRow, CodeDecoration, CodeDefinition, CoverageGuide, CoverageQuestion, CoverageReport, CoverageSection,
  CoverageTranscript, CoverageUnresolvedTranscript, MatrixResult, MemoRow, SegmentRow, WireLocation, WireRange,
} from './protocol';

/** Turns a study's document key into the URI a client knows it by. */
export type UriOf = (key: string) => string;

export function wireRange(r: Range): WireRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function wireFigures(f: CoreAgreementFigures): AgreementFigures {
  return { both: f.both, onlyA: f.onlyA, onlyB: f.onlyB, neither: f.neither, percent: f.percent, kappa: f.kappa, alpha: f.alpha };
}

/** An agreement comparison, its two copies named `a` and `b`. */
export function wireAgreement(r: AgreementResult, a: string, b: string): AgreementReport {
  return {
    unit: r.unit, a, b,
    transcripts: r.transcripts.map((t) => {
      const out: AgreementReport['transcripts'][number] = { file: t.file, paired: t.paired };
      if (t.onlyIn !== undefined) out.onlyIn = t.onlyIn;
      if (t.alignedUnits !== undefined) out.alignedUnits = t.alignedUnits;
      if (t.unalignedCharacters !== undefined) out.unalignedCharacters = t.unalignedCharacters;
      return out;
    }),
    codes: r.codes.map((c) => ({ code: c.code, ...wireFigures(c) })),
    overall: wireFigures(r.overall),
    disagreements: r.disagreements.map((d) => ({
      file: d.file, code: d.code, coder: d.coder, rangeA: wireRange(d.rangeA), rangeB: wireRange(d.rangeB), excerpt: d.excerpt,
    })),
  };
}

export function wireCodeCount(r: CoreCodeCountRow): CodeCountRow {
  return {
    code: r.code, label: r.label, known: r.known, parent: r.parent, deprecated: r.deprecated, color: r.color,
    segments: r.segments, transcripts: r.transcripts, totalSegments: r.totalSegments, totalTranscripts: r.totalTranscripts,
  };
}

export function wireSegment(r: CoreSegmentRow, uriOf: UriOf): SegmentRow {
  const out: SegmentRow = {
    code: r.code, file: r.file, uri: uriOf(r.uri), participant: r.participant, role: r.role,
    attributes: r.attributes, questions: r.questions, question: r.question, range: wireRange(r.range), excerpt: r.excerpt,
  };
  if (r.before !== undefined) out.before = r.before;
  if (r.after !== undefined) out.after = r.after;
  return out;
}

export function wireMemo(r: CoreMemoRow, uriOf: UriOf): MemoRow {
  return {
    file: r.file, uri: uriOf(r.uri), participant: r.participant, range: wireRange(r.range),
    questions: r.questions, codes: r.codes, text: r.text,
  };
}

function wireQuestion(q: ReportQuestion): CoverageQuestion {
  const out: CoverageQuestion = {
    id: q.id, text: q.text, parent: q.parent, optional: q.optional, roles: q.roles,
    askedIn: q.askedIn, expectedIn: q.expectedIn, askedAnyIn: q.askedAnyIn,
  };
  if (q.condition !== undefined) out.condition = q.condition;
  if (q.retired) out.retired = true;
  return out;
}

function wireSection(s: ReportSection): CoverageSection {
  return { id: s.id, title: s.title, roles: s.roles, questions: s.questions.map(wireQuestion), asked: s.asked, expected: s.expected };
}

function wireTranscript(t: ReportTranscript, uriOf: UriOf): CoverageTranscript {
  return {
    file: t.file, uri: uriOf(t.uri), participant: t.participant, role: t.role, attributes: t.attributes,
    asked: t.asked, expected: t.expected, percent: t.percent, cells: t.cells, missing: t.missing, skipReasons: t.skipReasons,
  };
}

function wireGuide(g: GuideReport, uriOf: UriOf): CoverageGuide {
  return {
    id: g.id, title: g.title, file: g.file, uri: uriOf(g.uri), roles: g.roles, sections: g.sections.map(wireSection),
    transcripts: g.transcripts.map((t) => wireTranscript(t, uriOf)), asked: g.asked, expected: g.expected, percent: g.percent,
  };
}

function wireUnresolved(t: UnresolvedTranscript, uriOf: UriOf): CoverageUnresolvedTranscript {
  return { file: t.file, uri: uriOf(t.uri), participant: t.participant, role: t.role, attributes: t.attributes, guide: t.guide };
}

export function wireCoverage(r: CoreCoverageReport, uriOf: UriOf): CoverageReport {
  const out: CoverageReport = { guides: r.guides.map((g) => wireGuide(g, uriOf)) };
  if (r.filter) out.filter = r.filter;
  if (r.unresolved) out.unresolved = r.unresolved.map((t) => wireUnresolved(t, uriOf));
  return out;
}

/**
 * A wire value as the CLI prints it: the CLI names documents by `file`, relative to the study
 * folder, so the `uri` fields (which would repeat it) are left out.
 */
export function cliJson(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k === 'uri' ? undefined : v), 2);
}

/** A core location, its document named as the client knows it. */
export function wireLocation(l: Location, uriOf: UriOf): WireLocation {
  return { uri: uriOf(l.uri), range: wireRange(l.range) };
}

export function wireCodeDefinition(d: CodeDefinitionInfo, uriOf: UriOf): CodeDefinition {
  return {
    code: d.code, label: d.label, description: d.description ?? null, whenToUse: d.whenToUse ?? null,
    whenNotToUse: d.whenNotToUse ?? null, example: d.example ?? null, deprecated: d.deprecated,
    replacedBy: d.replacedBy ?? null, color: d.color ?? null, location: wireLocation(d.location, uriOf),
  };
}

export function wireDecoration(d: CodeDecorationInfo): CodeDecoration {
  return { range: wireRange(d.range), code: d.code, color: d.color };
}

export function wireCodeCandidate(c: CoreCodeCandidate): CodeCandidate {
  return c.detail === undefined ? { code: c.code, label: c.label } : { code: c.code, label: c.label, detail: c.detail };
}

/** An analysis table (SPEC §10): the JSON of `matrix` and the answer of `transcriptCoder/matrix`. */
export function wireMatrix(m: Matrix): MatrixResult {
  return {
    by: m.by, exact: m.exact,
    columns: m.columns.map((c) => (c.size !== undefined ? { key: c.key, label: c.label, size: c.size } : { key: c.key, label: c.label })),
    rows: m.rows.map((r) => ({
      code: r.code, label: r.label, known: r.known, depth: r.depth,
      // The core makes each cell afresh as `{ segments, transcripts }`, the wire's shape: copying the 54,000
      // cells of a table by transcript of 1,000 transcripts cost a quarter of the request.
      cells: r.cells,
    })),
  };
}
