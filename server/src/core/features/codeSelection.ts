/**
 * Code Selection (SPEC §6, the server command `transcriptCoder.codeSelection`): the codes a person
 * is offered for a passage, and the edit that codes it — `{` before the passage and `}#code` after
 * it, or ` #code` at the end of the paragraph when nothing is selected. The edit inserts those
 * characters and changes no other; a selection that cannot be coded so without changing how the
 * rest of the transcript reads is refused, with the reason in words for the researcher.
 *
 * Decisions where the SPEC is silent:
 * - A selection is trimmed of blank space at both ends (a selection of whole lines ends in a line
 *   break); one that starts at a speaker label starts after `Label: ` instead, since the label must
 *   stay first on its line to remain a turn.
 * - A selection may cross lines and paragraphs, and hold whole spans, markers and memos; it may not
 *   hold only one brace of a span, start or end inside a token (a code, a marker, a memo, an escape,
 *   a span's `}` and its codes), end in the middle of a word (the code would run on into it), or
 *   stand right after a backslash (the brace would become a literal one).
 * - A paragraph that ends in a span's code run (`{…}#a`) takes its code on a line of its own:
 *   ` #b` would join that run and code the span instead of the paragraph.
 * - Several selections are coded in one edit. A paragraph named twice is coded once, and one that
 *   already carries the code as a paragraph code is left as it is; overlapping selections are refused.
 * - Candidates leave deprecated codes out and are ranked, as completion ranks codes, for the
 *   question whose answer region holds the start of the first selection.
 */
import { fileKind, isCodePath } from '../ids';
import type { TranscriptModel } from '../model';
import type { Study } from '../study';
import { excerptOf, parseTranscript } from '../transcript';
import { questionsAt } from '../regions';
import type { Range } from '../text';
import { rankedCodes } from './completion';
import { oneLine } from './hover';
import type { TextEdit } from './types';

/** A code offered for a passage. */
export interface CodeCandidate {
  code: string;
  label: string;
  /** The code's definition in one line (its description, else when to use it), when it has one. */
  detail?: string;
}

export type CodeSelectionEdit = { edits: TextEdit[] } | { error: string };

type Plan =
  | { kind: 'span'; start: number; end: number }
  | { kind: 'paragraph'; paragraph: number };

/**
 * The codes to offer for the passages `ranges` of transcript `uri` (whose current text is `text`),
 * best first, or `{ error }` when those passages cannot be coded.
 */
export function getCodeCandidates(study: Study, uri: string, text: string, ranges: readonly Range[]): CodeCandidate[] | { error: string } {
  const model = transcriptOf(study, uri, text);
  if ('error' in model) return model;
  const plans = planSelections(text, model, ranges);
  if ('error' in plans) return plans;
  const first = Math.min(...plans.map((p) => (p.kind === 'span' ? p.start : model.paragraphs[p.paragraph].start)));
  return rankedCodes(study, questionsAt(model, first))
    .filter((entry) => !entry.def.deprecated)
    .map(({ def }) => {
      const candidate: CodeCandidate = { code: def.path, label: def.label ?? def.id };
      const detail = oneLine(def.description ?? def.whenToUse ?? '');
      if (detail) candidate.detail = detail;
      return candidate;
    });
}

/**
 * The edits that code the passages `ranges` of transcript `uri` with `code`: `{` and `}#code`
 * around each trimmed selection, ` #code` at the end of the paragraph of each empty one. Edits are
 * insertions, in document order (at one offset, in the order their texts stand). `{ error }` says
 * why nothing can be coded.
 */
export function codeSelectionEdit(study: Study, uri: string, text: string, ranges: readonly Range[], code: string): CodeSelectionEdit {
  if (!isCodePath(code)) {
    return { error: `"${code}" is not a code path: each part is made of letters, digits and _, joined by -, and parts are separated by / (as in benefit/family).` };
  }
  const model = transcriptOf(study, uri, text);
  if ('error' in model) return model;
  const plans = planSelections(text, model, ranges);
  if ('error' in plans) return plans;

  const todo = plans.filter((p) => p.kind === 'span' || !hasParagraphCode(model, p.paragraph, code));
  if (todo.length === 0) {
    return { error: `${plans.length === 1 ? 'This paragraph is' : 'These paragraphs are'} already coded #${code}.` };
  }
  const spanEnds = new Set(todo.flatMap((p) => (p.kind === 'span' ? [p.end] : [])));
  const insertions: Insertion[] = [];
  for (const p of todo) {
    if (p.kind === 'span') {
      insertions.push({ at: p.start, text: '{', order: 2, plan: p });
      insertions.push({ at: p.end, text: `}#${code}`, order: 0, plan: p });
    } else {
      const at = model.paragraphs[p.paragraph].end;
      const endsInRun = spanEnds.has(at) || model.codes.some((c) => c.target === 'span' && c.end === at);
      insertions.push({ at, text: `${endsInRun ? lineBreakAt(text, at) : ' '}#${code}`, order: 1, plan: p });
    }
  }
  insertions.sort((a, b) => a.at - b.at || a.order - b.order);
  if (!readsAsIntended(text, model, insertions, code)) {
    return { error: 'This selection cannot be coded without changing how the markup around it is read. Select a little more or less, or add the braces by hand.' };
  }
  return { edits: insertions.map((i) => ({ range: model.lines.range(i.at, i.at), newText: i.text })) };
}

interface Insertion {
  at: number;
  text: string;
  /** At one offset: a span's end, then a paragraph's code, then a span's start. */
  order: number;
  plan: Plan;
}

function transcriptOf(study: Study, uri: string, text: string): TranscriptModel | { error: string } {
  const kind = study.get(uri)?.kind ?? fileKind(uri);
  if (kind !== 'transcript') return { error: 'Code Selection codes passages of a transcript (a *.transcript file); this document is not one.' };
  // Parsed from the text given, so the edit fits exactly the text the editor has.
  return parseTranscript(text);
}

/** Each selection as a passage or a paragraph to code, or why one of them cannot be coded. */
function planSelections(text: string, model: TranscriptModel, ranges: readonly Range[]): Plan[] | { error: string } {
  if (ranges.length === 0) return { error: 'Select the passage to code, or put the cursor in a paragraph to code the whole paragraph.' };
  const spans: { start: number; end: number }[] = [];
  const paragraphs = new Set<number>();
  for (const range of ranges) {
    let start = model.lines.offsetAt(range.start);
    let end = model.lines.offsetAt(range.end);
    if (end < start) [start, end] = [end, start];
    if (model.frontMatter && start < model.bodyStart) {
      return { error: 'The selection is in the front matter (between the --- lines). Select a passage of the interview below it.' };
    }
    start = Math.max(start, model.bodyStart);
    end = Math.max(end, start);
    if (start === end) {
      const p = paragraphAtLine(model, model.lines.lineAt(start));
      if (p < 0) return { error: 'The cursor is on a blank line. Put it in a paragraph of the interview to code that paragraph, or select the passage to code.' };
      const why = paragraphProblem(model, p);
      if (why) return { error: why };
      paragraphs.add(p);
      continue;
    }
    const passage = trimSelection(text, model, start, end);
    if (!passage) return { error: 'The selection holds no interview text. Select the words to code, or put the cursor in a paragraph to code the whole paragraph.' };
    const why = passageProblem(text, model, passage.start, passage.end);
    if (why) return { error: why };
    if (!spans.some((s) => s.start === passage.start && s.end === passage.end)) spans.push(passage);
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      return { error: `Two of the selections overlap (on line ${model.lines.lineAt(spans[i].start) + 1}). Coded passages may nest but not overlap: code them one at a time.` };
    }
  }
  return [
    ...spans.map((s): Plan => ({ kind: 'span', ...s })),
    ...[...paragraphs].sort((a, b) => a - b).map((paragraph): Plan => ({ kind: 'paragraph', paragraph })),
  ];
}

/** The selection without blank space at either end, starting after a speaker label; undefined when nothing is left. */
function trimSelection(text: string, model: TranscriptModel, start: number, end: number): { start: number; end: number } | undefined {
  const trim = (): void => {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
  };
  trim();
  const lineStart = (o: number): number => model.lines.starts[model.lines.lineAt(o)];
  const startTurn = model.turns.find((t) => t.start === lineStart(start));
  if (startTurn && start < afterLabel(text, startTurn.end)) {
    start = afterLabel(text, startTurn.end);
  }
  const endTurn = model.turns.find((t) => t.start === lineStart(end - 1));
  if (endTurn && end <= afterLabel(text, endTurn.end)) end = endTurn.start;
  trim();
  if (start >= end || excerptOf(text, model, start, end) === '') return undefined;
  return { start, end };
}

/** The offset after a speaker label's colon and the blanks that follow it. */
function afterLabel(text: string, labelEnd: number): number {
  let i = text.indexOf(':', labelEnd) + 1;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** Why the passage [start, end) cannot be wrapped in `{…}#code`, or undefined when it can. */
function passageProblem(text: string, model: TranscriptModel, start: number, end: number): string | undefined {
  const line = (o: number): number => model.lines.lineAt(o) + 1;
  for (const [edge, at] of [['starts', start], ['ends', end]] as const) {
    const inside = tokenAround(text, model, at);
    if (inside) return `The selection ${edge} inside ${inside}. Select a little more or less, so that it ${edge === 'starts' ? 'starts' : 'ends'} outside it.`;
    if (text[at - 1] === '\\') return `The selection ${edge} right after a backslash, which would turn the brace into a literal one. Select a little more or less.`;
  }
  if (continuesCode(text, end)) {
    return 'The selection ends in the middle of a word, so the code would run on into the letters after it. Select whole words.';
  }
  for (const s of model.spans) {
    const opens = s.open >= start && s.open < end;
    const closes = s.close >= start && s.close < end;
    if (opens && s.close < 0) return `The selection holds a { that is never closed (line ${line(s.open)}). Close that coded passage first, or leave its { out of the selection.`;
    if (opens !== closes) {
      return `The selection would cross a brace of the coded passage on line ${line(s.open)}${line(s.close) !== line(s.open) ? `–${line(s.close)}` : ''}. Select the whole of that passage or none of it.`;
    }
  }
  const stray = model.problems.find((p) => p.code === 'unmatched-brace' && p.start >= start && p.start < end);
  if (stray) return `The selection holds a } that closes nothing (line ${line(stray.start)}). Fix that brace first, or leave it out of the selection.`;
  return undefined;
}

/** The token that offset `at` falls strictly inside, as a person names it, if any. */
function tokenAround(text: string, model: TranscriptModel, at: number): string | undefined {
  const within = (s: number, e: number): boolean => s < at && at < e;
  const memo = model.memos.find((m) => within(m.start, m.end));
  if (memo) return 'a memo (%% … %%)';
  const marker = model.markers.find((m) => within(m.start, m.end));
  if (marker) return `the question marker @${marker.id}`;
  const code = model.codes.find((c) => within(c.start, c.end));
  if (code) return `the code #${code.path}`;
  const run = model.spans.find((s) => s.close >= 0 && s.codes.length > 0 && within(s.close, model.codes[s.codes[s.codes.length - 1]].end));
  if (run) return 'the codes of a coded passage (between its } and its last code)';
  const escape = model.escapes.find((k) => within(k, k + 2));
  if (escape !== undefined) return `the escape ${text.slice(escape, escape + 2)}`;
  return undefined;
}

/** Whether text at `at` would continue a code path written right before it. */
function continuesCode(text: string, at: number): boolean {
  const word = /^[\p{L}\p{N}_]/u;
  const rest = text.slice(at, at + 3);
  return word.test(rest) || ((rest[0] === '-' || rest[0] === '/') && word.test(rest.slice(1)));
}

/** The paragraph whose lines hold `line`, or -1. */
function paragraphAtLine(model: TranscriptModel, line: number): number {
  const { paragraphs, lines } = model;
  let lo = 0, hi = paragraphs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines.lineAt(paragraphs[mid].end) < line) lo = mid + 1;
    else if (lines.lineAt(paragraphs[mid].start) > line) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function paragraphProblem(model: TranscriptModel, p: number): string | undefined {
  const end = model.paragraphs[p].end;
  const memo = model.memos.find((m) => !m.closed && m.start < end && m.end >= end);
  if (memo) return `This paragraph ends in a memo with no closing %% (line ${model.lines.lineAt(memo.start) + 1}), so a code there would be part of the memo. Close the memo first.`;
  return undefined;
}

function hasParagraphCode(model: TranscriptModel, p: number, code: string): boolean {
  const para = model.paragraphs[p];
  return model.codes.some((c) => c.target === 'paragraph' && c.path === code && c.segStart === para.start && c.segEnd === para.end);
}

/** The line break that ends the line holding `at` (the document's first one, else `\n`). */
function lineBreakAt(text: string, at: number): string {
  const m = /\r\n|\r|\n/.exec(text.slice(at)) ?? /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

/**
 * Whether the text with `insertions` applied reads as intended: every marker, memo, escape,
 * speaker turn and paragraph as before, every code as before, no new problem, and each new code
 * coding exactly its passage or paragraph. A last guard, for markup the checks above do not foresee.
 */
function readsAsIntended(text: string, before: TranscriptModel, insertions: readonly Insertion[], code: string): boolean {
  let out = '';
  let pos = 0;
  const placed: number[] = [];
  for (const ins of insertions) {
    out += text.slice(pos, ins.at);
    placed.push(out.length);
    out += ins.text;
    pos = ins.at;
  }
  out += text.slice(pos);
  const after = parseTranscript(out);

  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(before.markers.map((m) => m.id), after.markers.map((m) => m.id))) return false;
  if (!same(before.turns.map((t) => t.label), after.turns.map((t) => t.label))) return false;
  if (before.memos.length !== after.memos.length || before.escapes.length !== after.escapes.length) return false;
  if (before.paragraphs.length !== after.paragraphs.length) return false;

  const count = (keys: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const problemsBefore = count(before.problems.map((p) => p.code));
  for (const [k, n] of count(after.problems.map((p) => p.code))) if (n > (problemsBefore.get(k) ?? 0)) return false;

  const added = insertions.filter((i) => i.order !== 2).map((i) => `${code} ${i.plan.kind}`);
  const expected = count([...before.codes.map((c) => `${c.path} ${c.target}`), ...added]);
  const actual = count(after.codes.map((c) => `${c.path} ${c.target}`));
  if (expected.size !== actual.size || [...expected].some(([k, n]) => actual.get(k) !== n)) return false;

  return insertions.every((ins, i) => {
    if (ins.order === 2) return true;
    if (ins.plan.kind === 'span') {
      const open = placed[insertions.findIndex((o) => o.plan === ins.plan && o.order === 2)];
      return after.codes.some((c) => c.path === code && c.target === 'span' && c.segStart === open + 1 && c.segEnd === placed[i]);
    }
    const hash = placed[i] + ins.text.indexOf('#');
    return after.codes.some((c) => c.path === code && c.target === 'paragraph' && c.start === hash);
  });
}
