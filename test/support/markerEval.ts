/**
 * The evaluation of question-marker suggestions (SPEC §12) on the labelled interviews of
 * test/fixtures/markers: the three figures the docs report, computed by the real matcher.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseGuide } from '../../server/src/core/guide';
import { suggestMarkers, type TurnSuggestion } from '../../server/src/core/import/suggestMarkers';

export const MARKER_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'markers');

interface LabelledTurn { q: string | string[] | null; text: string }
interface Interview { name: string; guide: string; turns: LabelledTurn[] }

export interface MarkerFigures {
  interviews: number;
  questionTurns: number;
  otherTurns: number;
  /** Question turns whose marker (or, without one, first candidate) is right. */
  top1: number;
  /** Question turns with a right question among the candidates. */
  top3: number;
  /** Question turns that got a marker, and those whose marker is wrong. */
  marked: number;
  wrongMarkers: number;
  /** Turns that ask no guide question but got a marker. */
  otherMarked: number;
  misses: string[];
}

/** Runs the matcher over every interview of `set` (`development` or `heldout`) and counts. */
export function evaluateMarkers(set: string): MarkerFigures {
  const file = parse(readFileSync(join(MARKER_FIXTURES, `${set}.yaml`), 'utf8')) as { interviews: Interview[] };
  const f: MarkerFigures = { interviews: 0, questionTurns: 0, otherTurns: 0, top1: 0, top3: 0, marked: 0, wrongMarkers: 0, otherMarked: 0, misses: [] };
  for (const interview of file.interviews) {
    const guide = parseGuide(readFileSync(join(MARKER_FIXTURES, 'guides', interview.guide), 'utf8'));
    const suggestions: TurnSuggestion[] = suggestMarkers(guide, interview.turns.map((t) => t.text));
    f.interviews++;
    interview.turns.forEach((turn, i) => {
      const s = suggestions[i];
      const right = turn.q === null ? [] : Array.isArray(turn.q) ? turn.q : [turn.q];
      if (right.length === 0) {
        f.otherTurns++;
        if (s.marker !== null) {
          f.otherMarked++;
          f.misses.push(`${interview.name} #${i} none → marked @${s.marker}: ${turn.text}`);
        }
        return;
      }
      f.questionTurns++;
      const first = s.marker ?? s.candidates[0]?.id ?? null;
      if (first !== null && right.includes(first)) f.top1++;
      else f.misses.push(`${interview.name} #${i} ${right.join('|')} → ${s.marker ? '@' : ''}${first} [${s.candidates.map((c) => `${c.id} ${c.score}`).join(', ')}]: ${turn.text}`);
      if (s.candidates.some((c) => right.includes(c.id)) || (s.marker !== null && right.includes(s.marker))) f.top3++;
      if (s.marker !== null) {
        f.marked++;
        if (!right.includes(s.marker)) f.wrongMarkers++;
      }
    });
  }
  return f;
}

export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
