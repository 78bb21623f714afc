/**
 * Completion (SPEC §6). The context comes from the document's current text
 * around the cursor; the items from the study.
 *
 * Decisions where the SPEC is silent:
 * - A lone `#` (nothing typed yet) offers every code, in the ranked order; a
 *   `#` where a code cannot start (`C#`) or inside a memo offers nothing.
 * - Every item's edit replaces the whole token under the cursor (the ID part,
 *   never the sigil), including characters right of the cursor.
 * - Ranking of codes: codes linked to the question of the current answer region
 *   first, then the rest; within each group by segments in the study (most used
 *   first), then by path; deprecated codes last whatever their use, and tagged.
 *   A path typed so far goes before all that: after `#qm/` the codes under `qm/`
 *   come first (after `#qm/b`, those starting `qm/b`, then the rest under `qm/`),
 *   each group in the order above.
 * - `@`: questions not yet marked in this transcript first: those that follow, in
 *   guide order, the question of the previous marker (the interview usually goes
 *   on from there), then the others, each in guide order; then those already
 *   marked; retired questions last, tagged. The marker being typed does not count
 *   as marked, nor as the previous marker.
 * - `skipped:` offers the guide's questions not yet listed there, unasked ones first.
 */
import { fileKind } from '../ids';
import type { CodebookModel, DocumentModel, QuestionDef, TranscriptModel } from '../model';
import { parseDocument, questionMap, type CodeEntry, type GuideDocument, type Study } from '../study';
import { isBlankChar } from '../transcript';
import { questionsAt } from '../regions';
import type { Position } from '../text';
import { codeMarkdown, oneLine, questionMarkdown } from './hover';
import type { CompletionItem, CompletionKind, TextEdit } from './types';

/**
 * Completion items at `position` in `text` (the document's current text); `version` is the editor's
 * version of `text`, when known, so that the study's model of it is reused rather than parsed again.
 */
export function getCompletions(study: Study, uri: string, text: string, position: Position, version?: number): CompletionItem[] {
  const doc = study.get(uri);
  const kind = doc?.kind ?? fileKind(uri);
  if (!kind || kind === 'guide') return [];
  // The stored model serves only when it is known to be this text's: the same editor version.
  const model = doc && version !== undefined && doc.version === version ? doc.model : parseDocument(kind, text);
  const lines = model.lines;
  if (position.line < 0 || position.line >= lines.lineCount) return [];
  const lineStart = lines.starts[position.line];
  const lineEnd = lines.ends[position.line];
  // A position past the end of its line comes from a client out of step with the text: no answer.
  if (position.character < 0 || position.character > lineEnd - lineStart) return [];
  const offset = lineStart + position.character;
  const ctx: Context = { study, text, model, offset, lineStart, lineEnd };
  return model.kind === 'transcript' ? transcriptCompletions(ctx, model) : model.kind === 'codebook' ? codebookCompletions(ctx) : [];
}

interface Context {
  study: Study;
  text: string;
  model: DocumentModel;
  offset: number;
  lineStart: number;
  lineEnd: number;
}

// ---------------------------------------------------------------- transcripts

function transcriptCompletions(ctx: Context, model: TranscriptModel): CompletionItem[] {
  const { text, offset, lineStart, lineEnd } = ctx;
  const fm = model.frontMatter;
  if (fm && offset >= fm.yamlStart && offset < fm.yamlEnd) return frontMatterCompletions(ctx, model);
  if (offset < model.bodyStart) return [];

  const left = scanLeft(text, offset, lineStart, isPathOrIdChar);
  const sigilAt = left - 1;
  if (sigilAt < lineStart) return [];
  const sigil = text[sigilAt];
  if (sigil !== '#' && sigil !== '@') return [];
  const typed = text.slice(left, offset);
  const prev = sigilAt === lineStart ? 32 : text.charCodeAt(sigilAt - 1);
  const canStart = isBlankChar(prev) || prev === 40 || prev === 91 || prev === 123 || (sigil === '#' && prev === 125);
  if (!canStart || insideMemo(model, sigilAt)) return [];

  if (sigil === '#') {
    if (typed.includes('.')) return [];
    const end = scanRight(text, offset, lineEnd, '-/');
    return codeItems(ctx, left, end, questionsAt(model, sigilAt, true), typed);
  }
  if (typed.includes('/')) return [];
  const end = scanRight(text, offset, lineEnd, '.-');
  const resolution = ctx.study.resolveGuide(model);
  if (resolution.status !== 'ok') return [];
  const others = model.markers.filter((m) => m.start !== sigilAt);
  const marked = new Set(others.map((m) => m.id));
  const qmap = questionMap(resolution.guide.model);
  const previous = others.filter((m) => m.start < sigilAt && qmap.has(m.id)).pop()?.id;
  return questionItems(ctx, resolution.guide, left, end, marked, new Set(), previous);
}

function insideMemo(model: TranscriptModel, offset: number): boolean {
  for (const m of model.memos) {
    if (m.start > offset) break;
    if (offset < m.end) return true;
  }
  return false;
}

/**
 * Every code of the study in the order a person is offered them while coding text that answers
 * `questions` (those of one answer region): codes linked to any of them first, then the rest; within each group by segments in the study
 * (most used first), then by path; deprecated codes last. Code Selection offers the same order.
 */
export function rankedCodes(study: Study, questions: readonly string[]): CodeEntry[] {
  const usage = study.usage().codes;
  const ranked = [...study.codeIndex().byPath.values()].map((entry) => ({
    entry,
    linked: questions.length > 0 && study.linkedQuestions(entry.def.path).some((q) => questions.includes(q)),
    uses: usage.get(entry.def.path)?.segments ?? 0,
  }));
  const group = (r: { entry: CodeEntry; linked: boolean }): number => (r.entry.def.deprecated ? 2 : r.linked ? 0 : 1);
  ranked.sort((a, b) => group(a) - group(b) || b.uses - a.uses || compare(a.entry.def.path, b.entry.def.path));
  return ranked.map((r) => r.entry);
}

/**
 * How well a code path fits what has been typed after `#`: 2 when it starts with all of it,
 * 1 when it lies under the typed path's parent (`qm/` of `qm/b`), 0 otherwise.
 */
function typedFit(path: string, typed: string): number {
  if (typed === '') return 0;
  if (path.startsWith(typed)) return 2;
  const slash = typed.lastIndexOf('/');
  return slash > 0 && path.startsWith(typed.slice(0, slash + 1)) ? 1 : 0;
}

function codeItems(ctx: Context, start: number, end: number, questions: readonly string[], typed: string): CompletionItem[] {
  const { study } = ctx;
  const edit = editFor(ctx, start, end);
  // Array.prototype.sort is stable: within each fit the shared ranking stays.
  const ranked = rankedCodes(study, questions).sort((a, b) => typedFit(b.def.path, typed) - typedFit(a.def.path, typed));
  return ranked.map((entry, i) => {
    const item: CompletionItem = {
      label: entry.def.path,
      kind: 'code',
      textEdit: { ...edit, newText: entry.def.path },
      sortText: sortKey(i),
      filterText: entry.def.path,
      documentation: codeMarkdown(study, entry, { usage: true, title: false }),
    };
    if (entry.def.label) item.detail = entry.def.label;
    if (entry.def.deprecated) item.deprecated = true;
    return item;
  });
}

/**
 * The guide's questions, `exclude` left out: those not yet marked (or listed) first, starting
 * with those after `previous` in guide order, then the ones before it; then those marked;
 * retired questions last.
 */
function questionItems(
  ctx: Context, guide: GuideDocument, start: number, end: number, marked: Set<string>, exclude: Set<string>, previous?: string,
): CompletionItem[] {
  const all = [...questionMap(guide.model).values()];
  const after = previous === undefined ? 0 : all.findIndex((q) => q.id === previous) + 1;
  const qs = [...all.slice(after), ...all.slice(0, after)].filter((q) => !exclude.has(q.id));
  const group = (q: QuestionDef): number => (q.retired ? 2 : marked.has(q.id) ? 1 : 0);
  const ordered = [
    ...qs.filter((q) => group(q) === 0),
    // Asked and retired questions in plain guide order: where the interview stands says nothing of them.
    ...all.filter((q) => !exclude.has(q.id) && group(q) === 1),
    ...all.filter((q) => !exclude.has(q.id) && group(q) === 2),
  ];
  const edit = editFor(ctx, start, end);
  return ordered.map((q, i) => {
    const item: CompletionItem = {
      label: q.id,
      kind: 'question' as CompletionKind,
      detail: oneLine(q.text),
      documentation: questionMarkdown(ctx.study, guide, q, { usage: false }),
      textEdit: { ...edit, newText: q.id },
      sortText: sortKey(i),
      filterText: q.id,
    };
    if (q.retired) item.deprecated = true;
    return item;
  });
}

// ---------------------------------------------------------------- front matter

function frontMatterCompletions(ctx: Context, model: TranscriptModel): CompletionItem[] {
  const { text, offset, lineStart, lineEnd, study } = ctx;
  const line = text.slice(lineStart, lineEnd);
  const key = /^(guide|role|skipped)[ \t]*:[ \t]*/.exec(line);
  const tokenStart = scanLeft(text, offset, lineStart, isIdChar);
  const tokenEnd = scanRightSimple(text, offset, lineEnd, isIdChar);

  if (key && offset >= lineStart + key[0].length) {
    if (key[1] === 'guide') {
      const edit = editFor(ctx, tokenStart, tokenEnd);
      return study.guides().filter((g) => g.model.id && study.guideIndex().byId.get(g.model.id.value) === g).map((g, i) => ({
        label: g.model.id!.value,
        kind: 'guide' as CompletionKind,
        detail: g.model.title?.value,
        textEdit: { ...edit, newText: g.model.id!.value },
        sortText: sortKey(i),
      }));
    }
    const resolution = study.resolveGuide(model);
    if (resolution.status !== 'ok') return [];
    if (key[1] === 'role') {
      const edit = editFor(ctx, tokenStart, tokenEnd);
      return resolution.guide.model.roles.map((r, i) => ({
        label: r.id,
        kind: 'role' as CompletionKind,
        detail: r.label,
        textEdit: { ...edit, newText: r.id },
        sortText: sortKey(i),
      }));
    }
    // `skipped: [a, |]` or `skipped: {a: reason, |}`: an ID, unless the cursor stands in a reason.
    if (/:[ \t]*$/.test(text.slice(lineStart + key[0].length, tokenStart))) return [];
    return skippedItems(ctx, model, resolution.guide, tokenStart, tokenEnd);
  }
  if (parentKey(text, model, ctx.offset) !== 'skipped') return [];
  const resolution = study.resolveGuide(model);
  if (resolution.status !== 'ok') return [];
  return skippedItems(ctx, model, resolution.guide, tokenStart, tokenEnd);
}

function skippedItems(ctx: Context, model: TranscriptModel, guide: GuideDocument, start: number, end: number): CompletionItem[] {
  const listed = new Set((model.frontMatter?.skipped ?? []).filter((s) => !(s.start <= ctx.offset && ctx.offset <= s.end)).map((s) => s.id));
  const marked = new Set(model.markers.map((m) => m.id));
  return questionItems(ctx, guide, start, end, marked, listed);
}

/**
 * The key a block-list item or block-map entry on the cursor's line belongs to
 * (`skipped` for `  - |` below `skipped:`), read from the lines above; undefined
 * when the line is no entry or the cursor is not on its key.
 */
function parentKey(text: string, model: DocumentModel, offset: number): string | undefined {
  const lines = model.lines;
  const lineNo = lines.lineAt(offset);
  const ls = lines.starts[lineNo];
  const line = text.slice(ls, lines.ends[lineNo]);
  const before = text.slice(ls, offset);
  const dash = /^([ \t]*)-(?:[ \t]+|$)/.exec(line);
  let indent: number;
  let isItem: boolean;
  if (dash) {
    if (before.length < dash[0].length && before.length <= dash[1].length) return undefined;
    indent = dash[1].length;
    isItem = true;
  } else {
    const lead = /^[ \t]*/.exec(line)![0].length;
    if (lead === 0 || before.includes(':')) return undefined;
    indent = lead;
    isItem = false;
  }
  for (let l = lineNo - 1; l >= 0; l--) {
    const t = text.slice(lines.starts[l], lines.ends[l]);
    if (/^[ \t]*(#.*)?$/.test(t)) continue;
    const lead = /^[ \t]*/.exec(t)![0].length;
    if (lead > indent) continue;
    if (isItem && lead === indent && /^[ \t]*-(?:[ \t]|$)/.test(t)) continue;
    if (!isItem && lead === indent) continue;
    const m = /^[ \t]*(?:-[ \t]+)?([A-Za-z][\w-]*)[ \t]*:[ \t]*(#.*)?$/.exec(t);
    return m ? m[1] : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- codebooks

function codebookCompletions(ctx: Context): CompletionItem[] {
  const { text, offset, lineStart, lineEnd } = ctx;
  const line = text.slice(lineStart, lineEnd);
  const key = /^[ \t]*(?:-[ \t]+)?(questions|replacedBy)[ \t]*:[ \t]*/.exec(line);
  if (key && offset >= lineStart + key[0].length) {
    if (key[1] === 'replacedBy') {
      const start = scanLeft(text, offset, lineStart, isPathChar);
      const end = scanRight(text, offset, lineEnd, '-/');
      return replacementItems(ctx, start, end);
    }
    const start = scanLeft(text, offset, lineStart, isIdChar);
    return linkItems(ctx, start, scanRight(text, offset, lineEnd, '.-'));
  }
  if (parentKey(text, ctx.model as CodebookModel, offset) !== 'questions') return [];
  const start = scanLeft(text, offset, lineStart, isIdChar);
  return linkItems(ctx, start, scanRight(text, offset, lineEnd, '.-'));
}

/** Question IDs of every guide, for a code's `questions`; an ID in several guides is offered once. */
function linkItems(ctx: Context, start: number, end: number): CompletionItem[] {
  const edit = editFor(ctx, start, end);
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const guide of ctx.study.guides()) {
    for (const q of questionMap(guide.model).values()) {
      if (seen.has(q.id)) continue;
      seen.add(q.id);
      out.push({
        label: q.id,
        kind: 'question',
        detail: oneLine(q.text),
        documentation: questionMarkdown(ctx.study, guide, q, { guideName: true, usage: false }),
        textEdit: { ...edit, newText: q.id },
        sortText: sortKey(out.length),
        filterText: q.id,
      });
    }
  }
  return out;
}

function replacementItems(ctx: Context, start: number, end: number): CompletionItem[] {
  const entries = [...ctx.study.codeIndex().byPath.values()]
    .sort((a, b) => Number(a.def.deprecated) - Number(b.def.deprecated) || compare(a.def.path, b.def.path));
  const edit = editFor(ctx, start, end);
  return entries.map((entry, i) => {
    const item: CompletionItem = {
      label: entry.def.path,
      kind: 'code',
      textEdit: { ...edit, newText: entry.def.path },
      sortText: sortKey(i),
      filterText: entry.def.path,
      documentation: codeMarkdown(ctx.study, entry, { usage: false, title: false }),
    };
    if (entry.def.label) item.detail = entry.def.label;
    if (entry.def.deprecated) item.deprecated = true;
    return item;
  });
}

// ---------------------------------------------------------------- scanning

const WORD = /^[\p{L}\p{N}_]$/u;

function isWord(ch: string): boolean {
  return WORD.test(ch);
}

/** Characters of a code path or question ID, separators included. */
function isPathOrIdChar(ch: string): boolean {
  return isWord(ch) || ch === '-' || ch === '/' || ch === '.';
}

function isPathChar(ch: string): boolean {
  return isWord(ch) || ch === '-' || ch === '/';
}

function isIdChar(ch: string): boolean {
  return isWord(ch) || ch === '-' || ch === '.';
}

/** The code point at `i` (two UTF-16 units for an astral character). */
function cpAt(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return text.slice(i, i + 2);
  }
  return text[i] ?? '';
}

/** The start of the run of `allowed` characters that ends at `from`, not before `min`. */
function scanLeft(text: string, from: number, min: number, allowed: (ch: string) => boolean): number {
  let i = from;
  while (i > min) {
    let ch = text[i - 1];
    const c = text.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && i - 2 >= min) {
      const h = text.charCodeAt(i - 2);
      if (h >= 0xd800 && h <= 0xdbff) ch = text.slice(i - 2, i);
    }
    if (!allowed(ch)) break;
    i -= ch.length;
  }
  return i;
}

/** The end of the ID that continues at `from`: word characters, and `seps` only between them. */
function scanRight(text: string, from: number, max: number, seps: string): number {
  let i = from;
  while (i < max) {
    const ch = cpAt(text, i);
    if (isWord(ch)) { i += ch.length; continue; }
    if (seps.includes(ch) && i + 1 < max && isWord(cpAt(text, i + 1))) { i += 1; continue; }
    break;
  }
  return i;
}

function scanRightSimple(text: string, from: number, max: number, allowed: (ch: string) => boolean): number {
  let i = from;
  while (i < max) {
    const ch = cpAt(text, i);
    if (!allowed(ch)) break;
    i += ch.length;
  }
  return i;
}

function editFor(ctx: Context, start: number, end: number): TextEdit {
  return { range: ctx.model.lines.range(start, end), newText: '' };
}

function sortKey(i: number): string {
  return String(i).padStart(5, '0');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
