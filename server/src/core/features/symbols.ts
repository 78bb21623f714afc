/**
 * Outline, folding and workspace symbols (SPEC §6).
 *
 * Decisions where the SPEC is silent:
 * - A transcript's outline groups its markers under the guide's sections, in
 *   the order each section is first marked; markers of questions the guide does
 *   not have go under "Other". When the guide is unknown the markers are listed flat.
 *   Each marker symbol spans its answer region.
 * - Folding in guides and codebooks is provided here (sections, questions,
 *   codes) rather than left to the client, because a client that gets folding
 *   from a server does not fall back to its own indentation folding.
 * - A multi-line span folds from its `{` line to the line before its `}`, so the
 *   `}#code` stays visible; a span over two lines has nothing to fold.
 * - Workspace symbols match the query case-insensitively: as a subsequence of a
 *   code path or question ID, or as a substring of a code's label or a question's
 *   text. IDs that contain the query come first, then subsequence matches, then
 *   label and text matches. At most 500 are returned.
 */
import type { CodebookModel, GuideModel, QuestionDef, TranscriptModel } from '../model';
import { questionMap, type Study } from '../study';
import { oneLine, guideName } from './hover';
import type { DocumentSymbol, FoldingRange, WorkspaceSymbol } from './types';

const MAX_WORKSPACE_SYMBOLS = 500;

/** The outline of a study document. */
export function getDocumentSymbols(study: Study, uri: string): DocumentSymbol[] {
  const doc = study.get(uri);
  if (!doc) return [];
  switch (doc.model.kind) {
    case 'transcript': return transcriptSymbols(study, doc.model);
    case 'guide': return guideSymbols(doc.model);
    case 'codebook': return codebookSymbols(doc.model);
  }
}

// ---------------------------------------------------------------- transcripts

/**
 * The end of the answer region of marker `i`: the end of the last paragraph
 * before the paragraph of the next marker (whose speaker label belongs to the
 * next question), or the next marker itself when both stand in one paragraph.
 */
function regionEnd(model: TranscriptModel, i: number): number {
  const marker = model.markers[i];
  const next = model.markers[i + 1];
  const paras = model.paragraphs;
  if (!next) return Math.max(marker.end, paras.length ? paras[paras.length - 1].end : marker.end);
  let lo = 0, hi = paras.length - 1, p = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (paras[mid].start <= next.start) { p = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (p < 0 || paras[p].start <= marker.start) return Math.max(marker.end, next.start);
  return Math.max(marker.end, p > 0 ? paras[p - 1].end : marker.end);
}

function transcriptSymbols(study: Study, model: TranscriptModel): DocumentSymbol[] {
  const lines = model.lines;
  const resolution = study.resolveGuide(model);
  const guide = resolution.status === 'ok' ? resolution.guide : undefined;
  const qmap = guide ? questionMap(guide.model) : undefined;
  const markerSymbols = model.markers.map((m, i) => {
    const q = qmap?.get(m.id);
    const detail = q ? oneLine(q.text) : guide ? `not in guide '${guideName(guide)}'` : undefined;
    const symbol: DocumentSymbol = {
      name: `@${m.id}`,
      kind: 'question',
      range: lines.range(m.start, regionEnd(model, i)),
      selectionRange: lines.range(m.start, m.end),
      children: [],
    };
    if (detail) symbol.detail = detail;
    return { symbol, section: q ? q.sectionIndex : -1 };
  });
  if (!guide) return markerSymbols.map((s) => s.symbol);

  const groups = new Map<number, DocumentSymbol[]>();
  for (const { symbol, section } of markerSymbols) {
    const list = groups.get(section);
    if (list) list.push(symbol); else groups.set(section, [symbol]);
  }
  const out: DocumentSymbol[] = [];
  for (const [index, children] of groups) {
    const section = guide.model.sections[index];
    const first = children[0];
    const last = children.reduce((a, b) => (compareEnd(a, b) >= 0 ? a : b));
    const symbol: DocumentSymbol = {
      name: section ? section.title || section.id : 'Other',
      kind: section ? 'section' : 'namespace',
      detail: section ? section.id : `not in guide '${guideName(guide)}'`,
      range: { start: first.range.start, end: last.range.end },
      selectionRange: first.selectionRange,
      children,
    };
    out.push(symbol);
  }
  return out;
}

function compareEnd(a: DocumentSymbol, b: DocumentSymbol): number {
  return a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character;
}

// ---------------------------------------------------------------- guides and codebooks

function guideSymbols(model: GuideModel): DocumentSymbol[] {
  const lines = model.lines;
  const question = (q: QuestionDef): DocumentSymbol => ({
    name: q.id,
    detail: oneLine(q.text),
    kind: 'question',
    range: lines.range(q.start, q.end),
    selectionRange: lines.range(q.idStart, q.idEnd),
    children: q.followups.map(question),
  });
  return model.sections.map((s) => ({
    name: s.id,
    detail: s.title,
    kind: 'section',
    range: lines.range(s.start, s.end),
    selectionRange: lines.range(s.idStart, s.idEnd),
    children: s.questions.map(question),
  }));
}

function codebookSymbols(model: CodebookModel): DocumentSymbol[] {
  const lines = model.lines;
  const top: DocumentSymbol[] = [];
  const byPath = new Map<string, { symbol: DocumentSymbol; start: number; end: number }>();
  for (const def of model.codes) {
    const symbol: DocumentSymbol = {
      name: def.id,
      kind: 'code',
      range: lines.range(def.start, def.end),
      selectionRange: lines.range(def.idStart, def.idEnd),
      children: [],
    };
    if (def.label) symbol.detail = def.label;
    const parent = def.parent === null ? undefined : byPath.get(def.parent);
    if (parent && parent.start <= def.start && def.end <= parent.end) parent.symbol.children.push(symbol);
    else top.push(symbol);
    if (!byPath.has(def.path)) byPath.set(def.path, { symbol, start: def.start, end: def.end });
  }
  return top;
}

// ---------------------------------------------------------------- folding

/** The folding ranges of a study document. */
export function getFoldingRanges(study: Study, uri: string): FoldingRange[] {
  const doc = study.get(uri);
  if (!doc) return [];
  const model = doc.model;
  const lines = model.lines;
  const out: FoldingRange[] = [];
  const add = (start: number, end: number, kind?: FoldingRange['kind']): void => {
    const startLine = lines.lineAt(start);
    const endLine = lines.lineAt(Math.max(start, end));
    if (endLine > startLine) out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  if (model.kind === 'transcript') {
    if (model.frontMatter) add(model.frontMatter.start, model.frontMatter.end);
    model.markers.forEach((m, i) => add(m.start, regionEnd(model, i)));
    for (const memo of model.memos) add(memo.start, memo.end - 1, 'comment');
    for (const span of model.spans) {
      if (span.close < 0) continue;
      const closeLine = lines.lineAt(span.close);
      if (closeLine - 1 > lines.lineAt(span.open)) add(span.open, lines.ends[closeLine - 1]);
    }
  } else if (model.kind === 'guide') {
    for (const s of model.sections) add(s.start, s.end);
    for (const q of model.questions) add(q.start, q.end);
  } else {
    for (const c of model.codes) add(c.start, c.end);
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

// ---------------------------------------------------------------- workspace symbols

/** Codes and questions of the whole study whose ID, label or text matches `query`. */
export function getWorkspaceSymbols(study: Study, query: string): WorkspaceSymbol[] {
  const q = query.trim().toLowerCase();
  const found: { symbol: WorkspaceSymbol; score: number }[] = [];
  for (const { doc, def } of study.codeIndex().byPath.values()) {
    const score = matchScore(q, def.path, def.label ?? '');
    if (score < 0) continue;
    found.push({
      score,
      symbol: {
        name: def.label ? `#${def.path} — ${oneLine(def.label)}` : `#${def.path}`,
        kind: 'code',
        containerName: doc.path,
        location: { uri: doc.uri, range: doc.model.lines.range(def.idStart, def.idEnd) },
      },
    });
  }
  for (const guide of study.guides()) {
    for (const question of questionMap(guide.model).values()) {
      const score = matchScore(q, question.id, question.text);
      if (score < 0) continue;
      const section = guide.model.sections[question.sectionIndex];
      found.push({
        score,
        symbol: {
          name: question.text ? `@${question.id} — ${shorten(oneLine(question.text), 80)}` : `@${question.id}`,
          kind: 'question',
          containerName: section ? `${guideName(guide)} › ${section.title || section.id}` : guideName(guide),
          location: { uri: guide.uri, range: guide.model.lines.range(question.idStart, question.idEnd) },
        },
      });
    }
  }
  found.sort((a, b) => a.score - b.score);
  return found.slice(0, MAX_WORKSPACE_SYMBOLS).map((f) => f.symbol);
}

/** 0: the ID contains the query; 1: the ID contains it as a subsequence; 2: the label or text contains it; -1: no match. */
function matchScore(q: string, id: string, label: string): number {
  if (q === '') return 0;
  const lid = id.toLowerCase();
  if (lid.includes(q)) return 0;
  if (isSubsequence(q, lid)) return 1;
  if (label.toLowerCase().includes(q)) return 2;
  return -1;
}

function isSubsequence(q: string, s: string): boolean {
  let i = 0;
  for (let j = 0; j < s.length && i < q.length; j++) if (s[j] === q[i]) i++;
  return i === q.length;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
