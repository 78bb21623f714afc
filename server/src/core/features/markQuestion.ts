/**
 * "Mark as question …" (SPEC §12): on an interviewer turn that holds no question marker, the three
 * questions of the guide that the turn most likely asks, each as a code action inserting `@id ` right
 * after the speaker label (`I: ` → `I: @reasons `) and changing no other character.
 *
 * The candidates come from the matcher of `core/import/suggestMarkers.ts`, run over the interviewer turns
 * around this one (up to WINDOW before and after it) in order, so that the guide's order counts: turns already
 * marked hold the alignment at their questions, and questions already marked anywhere in the transcript need
 * stronger words to be offered again. The window bounds the work on a transcript of thousands of turns.
 *
 * Interviewer turns are those whose label is `I`, `Interviewer` or starts with `Interviewer` (any case),
 * as in `import --interviewer`'s default, plus the labels of `transcriptCoder.interviewerLabels`.
 */
import type { TranscriptModel } from '../model';
import type { Study } from '../study';
import type { Range } from '../text';
import { excerptsOf } from '../transcript';
import { suggestForTurns, type MarkerTurn, type TurnSuggestion } from '../import/suggestMarkers';
import type { CodeAction } from './types';

/** Whether a speaker label is the interviewer's: the default rule, or one of `extra` (as written). */
export function isInterviewerLabel(label: string, extra: readonly string[] = []): boolean {
  return label === 'I' || /^interviewer/i.test(label) || extra.includes(label);
}

interface TurnSpan {
  /** Where `@id ` goes: after the label's colon and the spaces that follow it. */
  insertAt: number;
  start: number;
  end: number;
  marked: string[];
}

/** Interviewer turns on each side of the turn asked about that the matcher reads. */
const WINDOW = 100;

/**
 * Per transcript model, its interviewer turns and the suggestion made for each turn asked about so far:
 * the editor asks for code actions at every cursor move, and a model is never reused for another text.
 */
const cache = new WeakMap<TranscriptModel, { guide: object; labels: string; turns: TurnSpan[]; texts: string[]; suggestions: Map<number, TurnSuggestion> }>();

/** Longest question text shown in an action's title. */
const TITLE_TEXT = 80;

/**
 * The "Mark as question" actions for the interviewer turn that holds the start of `range` in the
 * transcript `model` (parsed from `text`), when that turn has no marker.
 */
export function markQuestionActions(study: Study, uri: string, text: string, model: TranscriptModel, range: Range, interviewerLabels: readonly string[] = []): CodeAction[] {
  const resolved = study.resolveGuide(model);
  if (resolved.status !== 'ok') return [];
  const guide = resolved.guide.model;
  const lines = model.lines;
  const offset = lines.offsetAt(range.start);

  const turnIndex = lastAtOrBefore(model.turns.map((t) => t.start), offset);
  if (turnIndex < 0 || !isInterviewerLabel(model.turns[turnIndex].label, interviewerLabels)) return [];

  const labels = interviewerLabels.join('\n');
  let entry = cache.get(model);
  if (!entry || entry.guide !== guide || entry.labels !== labels) {
    const turns = interviewerTurns(text, model, interviewerLabels);
    const texts = excerptsOf(text, model, turns.map((t) => ({ start: t.insertAt, end: t.end })));
    entry = { guide, labels, turns, texts, suggestions: new Map() };
    cache.set(model, entry);
  }
  const at = lastAtOrBefore(entry.turns.map((t) => t.start), model.turns[turnIndex].start);
  const turn = entry.turns[at];
  if (!turn || turn.start !== model.turns[turnIndex].start || turn.marked.length > 0) return [];
  let suggestion = entry.suggestions.get(at);
  if (!suggestion) {
    const from = Math.max(0, at - WINDOW);
    const to = Math.min(entry.turns.length, at + WINDOW + 1);
    const input: MarkerTurn[] = [];
    for (let i = from; i < to; i++) input.push({ text: entry.texts[i], marked: entry.turns[i].marked });
    const asked = new Set(model.markers.map((m) => m.id));
    const role = model.frontMatter?.role?.value;
    suggestion = suggestForTurns(guide, input, asked, role === undefined ? {} : { role })[at - from];
    entry.suggestions.set(at, suggestion);
  }
  return suggestion.candidates.map((c) => ({
    title: `Mark as question ${c.id}: ${shorten(c.text)}`,
    kind: 'refactor' as const,
    edit: { changes: { [uri]: [{ range: lines.range(turn.insertAt, turn.insertAt), newText: `@${c.id} ` }] } },
    ...(suggestion.marker === c.id ? { isPreferred: true } : {}),
  }));
}

/** Every interviewer turn: from its label to the next turn (or the end), with the markers it holds. */
function interviewerTurns(text: string, model: TranscriptModel, labels: readonly string[]): TurnSpan[] {
  const out: TurnSpan[] = [];
  let m = 0;
  model.turns.forEach((t, i) => {
    const end = model.turns[i + 1]?.start ?? text.length;
    while (m < model.markers.length && model.markers[m].start < t.start) m++;
    if (!isInterviewerLabel(t.label, labels)) return;
    const marked: string[] = [];
    for (let j = m; j < model.markers.length && model.markers[j].start < end; j++) marked.push(model.markers[j].id);
    let insertAt = t.end + 1; // after the colon
    while (text[insertAt] === ' ' || text[insertAt] === '\t') insertAt++;
    out.push({ insertAt, start: t.start, end, marked });
  });
  return out;
}

/** The index of the last of the sorted `starts` at or before `offset`, or -1. */
function lastAtOrBefore(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length <= TITLE_TEXT ? one : `${chars.slice(0, TITLE_TEXT - 1).join('').trimEnd()}…`;
}
