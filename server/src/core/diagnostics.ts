/**
 * The checks of SPEC §5 that need the whole study, and the conversion of every
 * problem to a positioned diagnostic with its effective severity.
 */
import { transcriptCoverage } from './coverage';
import { DIAGNOSTIC_CODES, effectiveSeverity, type DiagnosticCode, type Severity, type SeverityOverrides } from './diagnosticCodes';
import type { GuideModel, Problem, QuestionDef, SectionDef, TranscriptModel } from './model';
import { questionMap, sectionQuestionIds, type CodebookDocument, type GuideDocument, type Study, type StudyDocument, type TranscriptDocument } from './study';
import { participantEntry } from './participants';
import { printable } from './printable';
import { didYouMean, orList, suggestions } from './suggest';
import type { Range } from './text';

export interface RelatedInformation {
  uri: string;
  range: Range;
  message: string;
}

/** What a quick fix needs to know about a diagnostic. */
export interface DiagnosticData {
  /** Replacements for the offending token (did-you-mean), without sigil. */
  suggestions?: string[];
  /** The question an `unasked-question` is about. */
  questionId?: string;
  /** The questions of a `missing-section`. */
  questionIds?: string[];
  /** A deprecated code's replacement path. */
  replacedBy?: string;
  /** The code path or question ID as written. */
  written?: string;
  /** What replaces the offending text (an `identifying-name`'s pseudonym). */
  replacement?: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  range: Range;
  message: string;
  related?: RelatedInformation[];
  data?: DiagnosticData;
}

interface Finding {
  code: DiagnosticCode;
  start: number;
  end: number;
  message: string;
  related?: RelatedInformation[];
  data?: DiagnosticData;
  /** A line-wide range given directly (line 0 when there is no front matter). */
  range?: Range;
}

/** Every diagnostic of one study document, sorted by position, severities applied. */
export function diagnose(study: Study, uri: string, overrides?: SeverityOverrides): Diagnostic[] {
  const doc = study.get(uri);
  if (!doc) return [];
  let findings: Finding[];
  switch (doc.kind) {
    case 'transcript': findings = transcriptFindings(study, doc as TranscriptDocument); break;
    case 'guide': findings = guideFindings(study, doc as GuideDocument); break;
    case 'codebook': findings = codebookFindings(study, doc as CodebookDocument); break;
  }
  const lines = doc.model.lines;
  const out: Diagnostic[] = [];
  /** Related information as given → as shown; findings share one list (all repeats of a marker point at its first). */
  const shown = new Map<RelatedInformation[], RelatedInformation[]>();
  for (const f of findings) {
    const severity = effectiveSeverity(f.code, overrides);
    if (severity === 'off') continue;
    // Messages quote study text (IDs, names, guide titles) and are printed on terminals by `check`: every
    // one passes here, so here is where control characters are taken out of them.
    const d: Diagnostic = { code: f.code, severity, range: f.range ?? lines.range(f.start, f.end), message: printable(f.message) };
    if (f.related?.length) {
      let related = shown.get(f.related);
      if (!related) {
        related = f.related.some((r) => printable(r.message) !== r.message) ? f.related.map((r) => ({ ...r, message: printable(r.message) })) : f.related;
        shown.set(f.related, related);
      }
      d.related = related;
    }
    if (f.data) d.data = f.data;
    out.push(d);
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

function fromProblems(problems: Problem[]): Finding[] {
  return problems.map((p) => (p.data ? { code: p.code, start: p.start, end: p.end, message: p.message, data: p.data } : { code: p.code, start: p.start, end: p.end, message: p.message }));
}

function at(doc: StudyDocument, start: number, end: number, message: string): RelatedInformation {
  return { uri: doc.uri, range: doc.model.lines.range(start, end), message };
}

function quote(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 90 ? `“${t.slice(0, 88)}…”` : `“${t}”`;
}

// ---------------------------------------------------------------- transcripts

function transcriptFindings(study: Study, doc: TranscriptDocument): Finding[] {
  const m = doc.model;
  const fm = m.frontMatter;
  const out = fromProblems(m.problems);
  const line0 = m.lines.lineRange(0);

  // Codes are checked whatever the guide.
  const codes = study.codeIndex();
  for (const use of m.codes) {
    const entry = codes.byPath.get(use.path);
    if (entry) {
      if (entry.def.deprecated) {
        const named = entry.def.replacedBy?.value;
        // A replacement that is no code is reported in the codebook; it is not advice to follow.
        const by = named !== undefined && codes.byPath.has(named) ? named : undefined;
        out.push({
          code: 'deprecated-code', start: use.start, end: use.end,
          message: `The code '#${use.path}' is deprecated${by ? `: use '#${by}' instead` : named ? ` (its replacement '#${named}' is not in the codebook)` : ''}.`,
          related: [at(entry.doc, entry.def.idStart, entry.def.idEnd, `'${use.path}' is marked deprecated here`)],
          data: by ? { replacedBy: by, written: use.path } : { written: use.path },
        });
      }
      continue;
    }
    const sameButCase = codes.byLowerPath.get(use.path.toLowerCase());
    if (sameButCase) {
      const known = codes.byPath.get(sameButCase[0])!;
      out.push({
        code: 'case-mismatch', start: use.start, end: use.end,
        message: `The code '#${use.path}' is not in the codebook as written; codes are case-sensitive.${didYouMean(sameButCase, '#')}`,
        related: [at(known.doc, known.def.idStart, known.def.idEnd, `'${known.def.path}' is defined here`)],
        data: { suggestions: sameButCase, written: use.path },
      });
      continue;
    }
    const near = suggestions(use.path, codes.byPath.keys());
    out.push({
      code: 'unknown-code', start: use.start, end: use.end,
      message: `The code '#${use.path}' is not in any codebook.${didYouMean(near, '#')}`,
      data: { suggestions: near, written: use.path },
    });
  }

  spanCrossings(m, out);

  const resolution = study.resolveGuide(m);
  if (resolution.status === 'missing') {
    out.push({
      code: 'missing-guide', start: 0, end: 0, range: line0,
      message: resolution.guideCount === 0
        ? 'This transcript names no guide, and the study has no interview guide (*.guide.yaml).'
        : `This transcript names no guide, and the study has ${resolution.guideCount} guides: add \`guide:\` to the front matter (${study.guides().map((g) => g.model.id?.value).filter(Boolean).join(', ')}).`,
    });
    return out;
  }
  if (resolution.status === 'unknown') {
    const known = [...study.guideIndex().byId.keys()];
    const near = suggestions(resolution.id, known);
    const g = fm!.guide!;
    out.push({
      code: 'unknown-guide', start: g.start, end: g.end,
      message: `There is no guide '${resolution.id}' in this study.${near.length ? didYouMean(near) : known.length ? ` The study's guides: ${known.join(', ')}.` : ''}`,
      data: { suggestions: near, written: resolution.id },
    });
    return out;
  }
  guideChecks(doc, resolution.guide, m, line0, out);
  duplicateParticipant(study, doc, resolution.guide, out);
  return out;
}

/** At most this many other transcripts are pointed at from one `duplicate-participant`. */
const MAX_PARTICIPANT_RELATED = 20;

/**
 * `duplicate-participant`: another transcript of the same guide names the same participant (labels
 * compared trimmed). Reports would count that person twice; most often it is a second coder's copy of
 * the interview, which belongs in its own copy of the study.
 */
function duplicateParticipant(study: Study, doc: TranscriptDocument, guide: GuideDocument, out: Finding[]): void {
  const self = participantEntry(doc.uri, doc.path, doc.model);
  const same = study.participants().get(self.label);
  if (!same || same.length < 2) return;
  const others = same.filter((e) => {
    if (e.uri === doc.uri) return false;
    const r = study.resolveGuideKey(e.guide);
    return r.status === 'ok' && r.guide === guide;
  });
  if (others.length === 0) return;
  const guideName = guide.model.id?.value ?? guide.path;
  const first = others[0].path;
  const where = others.length === 1 ? first : `${first} and ${others.length - 1} other transcript${others.length === 2 ? '' : 's'}`;
  const who = self.written
    ? `The participant '${self.label}' is also the participant of ${where}`
    : `This transcript has no \`participant:\`, so its participant is its file name '${self.label}', which is also the participant of ${where}`;
  out.push({
    code: 'duplicate-participant', start: 0, end: 0, range: self.range,
    message: `${who} (guide '${guideName}'), so reports count this person twice. If it is another coder's copy of the same interview, keep each coder's copies in a separate copy of the study and compare them with Compare Coders; otherwise give each transcript its own participant label.`,
    related: others.slice(0, MAX_PARTICIPANT_RELATED).map((e) => ({ uri: e.uri, range: e.range, message: `also participant '${e.label}'` })),
  });
}

/**
 * `span-crosses-question`: a closed span whose `{` and `}` stand in different answer regions
 * (SPEC §4.2: a region runs from a marker, or from the first of the markers of one paragraph, to
 * the next marker after that paragraph). Such a span codes across a question: almost always a `}`
 * forgotten in one answer and supplied by a later one, or a `{` put before the marker of the answer
 * it codes. Markers delimit regions whatever the guide says of them, so this needs no guide.
 */
function spanCrossings(m: TranscriptModel, out: Finding[]): void {
  const markers = m.markers;
  const paras = m.paragraphs;
  if (markers.length === 0 || m.spans.length === 0) return;
  /** The index of the last item whose start is at or before `offset`, or -1. */
  const lastAtOrBefore = (items: readonly { start: number }[], offset: number): number => {
    let lo = 0, hi = items.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
  // Where each marker's region starts: at its own paragraph's first marker.
  const regionOf = new Array<number>(markers.length);
  markers.forEach((mk, i) => {
    const same = i > 0 && lastAtOrBefore(paras, markers[i - 1].start) === lastAtOrBefore(paras, mk.start);
    regionOf[i] = same ? regionOf[i - 1] : i;
  });
  const region = (offset: number): number => {
    const i = lastAtOrBefore(markers, offset);
    return i < 0 ? -1 : regionOf[i];
  };
  const where = (r: number): string => (r < 0 ? 'before the first question marker' : `in the answer to '@${markers[r].id}'`);
  const lineOf = (offset: number): number => m.lines.lineAt(offset) + 1;
  for (const span of m.spans) {
    if (span.close < 0) continue;
    const opens = region(span.open);
    const closes = region(span.close);
    if (opens === closes) continue;
    // The first marker the span runs over that starts a region of its own.
    let next = lastAtOrBefore(markers, span.open) + 1;
    while (next < markers.length - 1 && regionOf[next] !== next) next++;
    const crossed = markers[next];
    const message = lastAtOrBefore(paras, span.open) === lastAtOrBefore(paras, crossed.start)
      ? `This span starts before the marker '@${crossed.id}' in its paragraph, so the passage it codes counts as said ${where(opens)}, not in the answer to '@${crossed.id}'. Put the \`{\` after '@${crossed.id}'.`
      : `This span opens ${where(opens)} and closes ${where(closes)} (line ${lineOf(span.close)}), so it codes across the question '@${crossed.id}' (line ${lineOf(crossed.start)}). Is a \`}\` missing before line ${lineOf(crossed.start)}?`;
    out.push({ code: 'span-crosses-question', start: span.open, end: span.open + 1, message });
  }
}

const unaskedMessages = new WeakMap<QuestionDef, string>();

/** The message of an `unasked-question`, made once per question rather than once per transcript. */
function unaskedMessage(q: QuestionDef): string {
  let message = unaskedMessages.get(q);
  if (message === undefined) {
    message = `The question '${q.id}' was not asked: ${quote(q.text || '(no text)')}${q.condition ? ` (its condition: ${quote(q.condition)}; if it did not hold, list the question under \`skipped\`)` : ''}`;
    unaskedMessages.set(q, message);
  }
  return message;
}

const lowerCaseIdMaps = new WeakMap<GuideModel, Map<string, string>>();

/** Lower-cased question ID → the first ID of the guide with it, made once per guide rather than once per transcript. */
function lowerCaseIds(guide: GuideModel, qmap: Map<string, QuestionDef>): Map<string, string> {
  let lowerIds = lowerCaseIdMaps.get(guide);
  if (!lowerIds) {
    lowerIds = new Map<string, string>();
    for (const id of qmap.keys()) if (!lowerIds.has(id.toLowerCase())) lowerIds.set(id.toLowerCase(), id);
    lowerCaseIdMaps.set(guide, lowerIds);
  }
  return lowerIds;
}

const sectionMaps = new WeakMap<GuideModel, Map<string, SectionDef>>();

/** Section ID → the first section with it, made once per guide. */
function sectionById(guide: GuideModel): Map<string, SectionDef> {
  let map = sectionMaps.get(guide);
  if (!map) {
    map = new Map();
    for (const s of guide.sections) if (!map.has(s.id)) map.set(s.id, s);
    sectionMaps.set(guide, map);
  }
  return map;
}

const sectionQuestionLists = new WeakMap<GuideModel, QuestionDef[][]>();

/** The questions of each section (by section index), in guide order, made once per guide. */
function sectionQuestions(guide: GuideModel, qmap: Map<string, QuestionDef>): QuestionDef[][] {
  let lists = sectionQuestionLists.get(guide);
  if (!lists) {
    lists = guide.sections.map(() => []);
    for (const q of qmap.values()) (lists[q.sectionIndex] ??= []).push(q);
    sectionQuestionLists.set(guide, lists);
  }
  return lists;
}

/** The findings about a transcript's questions against its guide, added to `out`. */
function guideChecks(doc: TranscriptDocument, guide: GuideDocument, m: TranscriptModel, line0: Range, out: Finding[]): void {
  const fm = m.frontMatter;
  const gm = guide.model;
  const guideName = gm.id?.value ?? guide.path;
  const roleIds = gm.roles.map((r) => r.id);
  /** `tm (Team manager)`: the ID as written in the files, with the label a person knows it by. */
  const roleName = (id: string): string => {
    const label = gm.roles.find((r) => r.id === id)?.label;
    return label && label !== id ? `${id} (${label})` : id;
  };
  const role = fm?.role;
  let validRole: string | undefined;
  const guideRef = (): RelatedInformation[] => [at(guide, gm.id?.start ?? 0, gm.id?.end ?? 0, `guide '${guideName}'`)];
  if (role) {
    if (roleIds.includes(role.value)) validRole = role.value;
    else {
      const near = suggestions(role.value, roleIds);
      out.push({
        code: 'unknown-role', start: role.start, end: role.end,
        message: roleIds.length
          ? `'${role.value}' is not a role of guide '${guideName}' (${gm.roles.map((r) => `${r.id}: ${r.label}`).join(', ')}).${didYouMean(near)}`
          : `Guide '${guideName}' declares no roles, so \`role: ${role.value}\` means nothing to it. Remove it, or add the role to the guide.`,
        related: guideRef(), data: { suggestions: near.length ? near : roleIds, written: role.value },
      });
    }
  } else if (roleIds.length) {
    out.push({
      code: 'unknown-role', start: 0, end: 0, range: line0,
      message: `This transcript has no \`role:\`, and guide '${guideName}' asks some questions only of some roles (${roleIds.join(', ')}). Add \`role:\` to the front matter.`,
      related: guideRef(), data: { suggestions: roleIds },
    });
  }

  const qmap = questionMap(gm);
  const lowerIds = lowerCaseIds(gm, qmap);
  /** Each question's first marker, and the related information every later one points at it with (made once). */
  const firstMarker = new Map<string, { start: number; end: number; related?: RelatedInformation[] }>();
  for (const mk of m.markers) {
    const q = qmap.get(mk.id);
    if (!q) {
      const caseMatch = lowerIds.get(mk.id.toLowerCase());
      if (caseMatch) {
        const cq = qmap.get(caseMatch)!;
        out.push({
          code: 'case-mismatch', start: mk.start, end: mk.end,
          message: `The question '@${mk.id}' is not in guide '${guideName}' as written; question IDs are case-sensitive. Did you mean \`@${caseMatch}\`?`,
          related: [at(guide, cq.idStart, cq.idEnd, `'${caseMatch}' is defined here`)],
          data: { suggestions: [caseMatch], written: mk.id },
        });
      } else if (sectionById(gm).has(mk.id)) {
        const s = sectionById(gm).get(mk.id)!;
        const ids = sectionQuestionIds(s);
        out.push({
          code: 'section-marker', start: mk.start, end: mk.end,
          message: `'@${mk.id}' names the section '${s.id}'${s.title ? ` (${s.title})` : ''}, not a question: mark one of its questions${ids.length ? `, such as ${orList(ids.map((id) => `'@${id}'`))}` : ''}.`,
          related: [at(guide, s.idStart, s.idEnd, `section '${s.id}'`)],
          data: { suggestions: ids, written: mk.id },
        });
      } else {
        const near = suggestions(mk.id, qmap.keys());
        out.push({
          code: 'unknown-question', start: mk.start, end: mk.end,
          message: `The question '@${mk.id}' is not in guide '${guideName}'.${didYouMean(near, '@')}`,
          related: guideRef(), data: { suggestions: near, written: mk.id },
        });
      }
      continue;
    }
    const first = firstMarker.get(mk.id);
    if (first) {
      out.push({
        code: 'duplicate-question', start: mk.start, end: mk.end,
        message: `The question '@${mk.id}' is marked more than once; its answer region starts again here.`,
        related: first.related ??= [at(doc, first.start, first.end, `first marked here`)],
      });
    } else firstMarker.set(mk.id, { start: mk.start, end: mk.end });
    if (validRole && q.roles.length > 0 && !q.roles.includes(validRole)) {
      out.push({
        code: 'role-mismatch', start: mk.start, end: mk.end,
        message: `The question '@${mk.id}' is meant for ${q.roles.map(roleName).join(', ')}, but this participant's role is ${roleName(validRole)}.`,
        related: [at(guide, q.idStart, q.idEnd, `'${q.id}' is defined here`)],
      });
    }
  }

  for (const s of fm?.skipped ?? []) {
    if (!qmap.has(s.id)) {
      const section = sectionById(gm).get(s.id);
      const near = suggestions(s.id, qmap.keys());
      out.push({
        code: 'unknown-question', start: s.start, end: s.end,
        message: section
          ? `'${s.id}' is listed as skipped, but it names a section of guide '${guideName}', not a question: list the section's questions instead (${section.questions.map((q) => q.id).join(', ')}).`
          : `'${s.id}' is listed as skipped, but guide '${guideName}' has no such question.${didYouMean(near)}`,
        related: guideRef(), data: { suggestions: section ? [] : near, written: s.id },
      });
    } else if (firstMarker.has(s.id)) {
      const mk = firstMarker.get(s.id)!;
      out.push({
        code: 'skipped-but-asked', start: s.start, end: s.end,
        message: `'${s.id}' is listed as skipped, but it was asked (marked with '@${s.id}').`,
        related: [at(doc, mk.start, mk.end, 'asked here')],
      });
    }
  }

  // Unasked questions and missing sections go on the `guide:` line, or line 0.
  const cov = transcriptCoverage(m, gm);
  // Spelled out in each finding below rather than spread into it: spreading cost microseconds a finding.
  const start = fm?.guideLine ? fm.guideLine.start : 0;
  const end = fm?.guideLine ? fm.guideLine.end : 0;
  const range = fm?.guideLine ? undefined : line0;
  const missing = new Set(cov.missingSections);
  for (const si of cov.missingSections) {
    const s = gm.sections[si];
    const ids = (sectionQuestions(gm, qmap)[si] ?? []).filter((q) => cov.cells.get(q.id) === 'not-asked').map((q) => q.id);
    out.push({
      code: 'missing-section', start, end, range,
      message: `No question of section '${s.id}' (${s.title || 'untitled'}) was asked: ${ids.length} expected question${ids.length === 1 ? '' : 's'} (${ids.join(', ')}) ha${ids.length === 1 ? 's' : 've'} no marker.`,
      related: [at(guide, s.idStart, s.idEnd, `section '${s.id}'`)],
      data: { questionIds: ids },
    });
  }
  for (const q of qmap.values()) {
    if (cov.cells.get(q.id) !== 'not-asked' || missing.has(q.sectionIndex)) continue;
    out.push({
      code: 'unasked-question', start, end, range,
      message: unaskedMessage(q),
      related: [at(guide, q.idStart, q.idEnd, `'${q.id}' is defined here`)],
      data: { questionId: q.id },
    });
  }
}

// ---------------------------------------------------------------- guides and codebooks

function guideFindings(study: Study, doc: GuideDocument): Finding[] {
  const out = fromProblems(doc.model.problems);
  const id = doc.model.id;
  if (id) {
    const first = study.guideIndex().byId.get(id.value);
    if (first && first !== doc) {
      out.push({
        code: 'duplicate-id', start: id.start, end: id.end,
        message: `The guide ID '${id.value}' is already used by ${first.path}; transcripts naming it follow that guide.`,
        related: [at(first, first.model.id!.start, first.model.id!.end, 'first defined here')],
      });
    }
  }
  return out;
}

function codebookFindings(study: Study, doc: CodebookDocument): Finding[] {
  const out = fromProblems(doc.model.problems);
  const index = study.codeIndex();
  const guides = study.guideIndex();
  for (const def of doc.model.codes) {
    const first = index.byPath.get(def.path);
    // Duplicates inside one file are the parser's to report.
    if (first && first.def !== def && first.doc !== doc) {
      out.push({
        code: 'duplicate-id', start: def.idStart, end: def.idEnd,
        message: `The code '${def.path}' is already defined in ${first.doc.path}; uses of it follow that definition.`,
        related: [at(first.doc, first.def.idStart, first.def.idEnd, 'first defined here')],
      });
    }
    for (const q of def.questions) {
      if (guides.questionIds.has(q.value)) continue;
      const near = suggestions(q.value, guides.questionIds);
      out.push({
        code: 'unknown-question-ref', start: q.start, end: q.end,
        message: `No guide of this study has a question '${q.value}'.${didYouMean(near)}`,
        data: { suggestions: near, written: q.value },
      });
    }
    const r = def.replacedBy;
    if (r && !index.byPath.has(r.value)) {
      const near = suggestions(r.value, index.byPath.keys());
      out.push({
        code: 'unknown-replacement', start: r.start, end: r.end,
        message: `'${r.value}' (the replacement of '${def.path}') is not a code of this study.${didYouMean(near)}`,
        data: { suggestions: near, written: r.value },
      });
    }
  }
  return out;
}

export { DIAGNOSTIC_CODES };
