/**
 * Answer regions (SPEC §4.2): a marker's region runs to the next marker, except that markers standing in
 * one paragraph (an interviewer asking several questions in one turn) share one region, from the first of
 * them to the first marker after that paragraph. Everything coded there answers all of them. Segments,
 * completion, Code Selection and the REFI-QDA export all ask this module, so they agree.
 */
import type { TranscriptModel } from './model';

export interface AnswerRegion {
  /** Index into `model.markers` of the region's first marker, and one past its last. */
  first: number;
  end: number;
  /** The question IDs of its markers, in marker order, each once. */
  questions: string[];
}

/** Per model: the region of each marker (index into the regions list) and the regions. */
const cache = new WeakMap<TranscriptModel, { regionOf: Int32Array; regions: AnswerRegion[] }>();

/** The index of the last item whose start is at or before `offset`, or -1. */
function lastAtOrBefore(items: readonly { start: number }[], offset: number): number {
  let lo = 0, hi = items.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

function regionsOf(model: TranscriptModel): { regionOf: Int32Array; regions: AnswerRegion[] } {
  let r = cache.get(model);
  if (r) return r;
  const { markers, paragraphs } = model;
  const regionOf = new Int32Array(markers.length);
  const regions: AnswerRegion[] = [];
  let lastPara = -2;
  markers.forEach((mk, i) => {
    const p = lastAtOrBefore(paragraphs, mk.start);
    const current = regions[regions.length - 1];
    if (current && p === lastPara && p >= 0) {
      current.end = i + 1;
      if (!current.questions.includes(mk.id)) current.questions.push(mk.id);
    } else {
      regions.push({ first: i, end: i + 1, questions: [mk.id] });
    }
    regionOf[i] = regions.length - 1;
    lastPara = p;
  });
  r = { regionOf, regions };
  cache.set(model, r);
  return r;
}

/** The answer regions of a transcript, in text order. */
export function answerRegions(model: TranscriptModel): readonly AnswerRegion[] {
  return regionsOf(model).regions;
}

/**
 * The questions whose answer region holds `offset`: the region of the last marker that starts at or before it
 * (or, with `strict`, before it). Empty before the first marker.
 */
export function questionsAt(model: TranscriptModel, offset: number, strict = false): readonly string[] {
  const { regionOf, regions } = regionsOf(model);
  const i = lastAtOrBefore(model.markers, strict ? offset - 1 : offset);
  return i < 0 ? [] : regions[regionOf[i]].questions;
}
