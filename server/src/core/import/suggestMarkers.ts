/**
 * Suggesting question markers (SPEC §12): which guide question each interviewer turn asks.
 *
 * Pure, offline and deterministic. Two parts:
 * - A word score per (turn, question): the stems of the turn's content words against those of the
 *   question's text and prompts (`words.ts`), each weighted by its rarity among the guide's questions
 *   (inverse document frequency), as a cosine in 0..1, lowered where the turn is mostly other words or
 *   shares only a common word or two. Follow-ups are questions of their own.
 * - An alignment over the whole interview: interviews mostly follow the guide, so a hidden path runs
 *   through the guide's questions in order. Each turn either asks a question (moving forward costs
 *   little, the next question least; going back costs more) or asks none (small talk, "mm", "can you
 *   say more?"), which keeps the position. Forward–backward over that path gives, for each turn, the
 *   probability of each question and of "none"; those probabilities are the candidates' scores.
 * A marker is suggested only where the turn's best reading is a question, with a high probability, a
 * clear margin over the next reading and real shared words; a question gets at most one marker unless
 * it was clearly asked again. Questions already marked in the transcript (`asked`) need stronger words.
 */
import type { GuideModel, QuestionDef } from '../model';
import { acronymsOf, termsOf } from './words';

/** The guide the matcher reads: the core's guide model. */
export type Guide = GuideModel;

export interface QuestionCandidate { id: string; text: string; score: number } // score 0..1, higher is better
export interface TurnSuggestion {
  marker: string | null;            // the question ID to insert, only where the match is confident
  candidates: QuestionCandidate[];  // best first, at most 3 (may be empty)
}

/** An interviewer turn, with the questions it is already marked with (those turns anchor the alignment). */
export interface MarkerTurn {
  text: string;
  marked?: readonly string[];
}

export interface SuggestOptions {
  /** The participant's role: questions for other roles are less likely. */
  role?: string;
}

/** The matcher's weights, in one place (tuned on test/fixtures/markers/development.yaml only). */
const WEIGHTS = {
  /** Weight of a prompt's words beside the question's own words. */
  promptWeight: 0.5,
  /** How strongly the word score speaks, against the guide's order. */
  scale: 9,
  /** The word score a turn must pass to read as a question rather than as none. */
  noneLevel: 0.22,
  /** How much more likely "none" is for a turn with no question mark. */
  noQuestionMark: 1,
  /** Weight of a turn's words the guide never uses (0: left out), relative to a word of one question. */
  unknownWeight: 0.3,
  /** Shared rarity a score needs to count fully: the score is scaled by 1 - exp(-shared / evidence). */
  evidence: 2,
  /** Moving forward past `gap` questions has odds `(1 + gap) ** -forward`; a follow-up passed over counts `followupGap`. */
  forward: 0.6,
  followupGap: 0.3,
  /** Going back to an earlier question, or asking the same one again. */
  back: 2.5,
  again: 2,
  /** A question already marked elsewhere, one meant for other roles, a retired one. */
  askedPenalty: 3,
  rolePenalty: 1.5,
  retiredPenalty: 1,
  /** A marker needs: this probability, this margin over the next reading, this word score. */
  minProbability: 0.5,
  minMargin: 0.2,
  minWords: 0.2,
  /** A question marked twice keeps its second marker only with this word score. */
  reask: 0.55,
};
export const TUNING: Readonly<typeof WEIGHTS> = Object.freeze(WEIGHTS);

const MAX_CANDIDATES = 3;

/**
 * Forward moves of up to BAND questions are weighed exactly; longer jumps all weigh as one of BAND + 1, so
 * that a guide of thousands of questions costs turns × questions × BAND, not turns × questions².
 */
const BAND = 64;

/** The odds of a forward move of `d` questions to the question whose band row starts at `row`. */
function oddsAhead(index: GuideWords, row: number, d: number): number {
  return index.forwardOdds[row + d - 1];
}

/**
 * One suggestion per interviewer turn, in order; `asked` = IDs already marked in the transcript.
 * `turns` are the interviewer turns' texts, labels removed, in transcript order.
 */
export function suggestMarkers(guide: Guide, turns: readonly string[], asked?: ReadonlySet<string>): TurnSuggestion[] {
  return suggestForTurns(guide, turns.map((text) => ({ text })), asked);
}

/**
 * As `suggestMarkers`, for turns some of which are already marked: a marked turn holds the alignment
 * at its question and gets no suggestion of its own (`{ marker: null, candidates: [] }`).
 */
export function suggestForTurns(guide: Guide, turns: readonly MarkerTurn[], asked?: ReadonlySet<string>, options: SuggestOptions = {}): TurnSuggestion[] {
  const index = guideIndex(guide);
  const n = index.questions.length;
  if (n === 0 || turns.length === 0) return turns.map(() => ({ marker: null, candidates: [] }));
  const T = TUNING;

  // Word scores and emissions (log scale). -Infinity rules a reading out.
  const words: Float64Array[] = [];
  const emit: Float64Array[] = [];
  const emitNone: number[] = [];
  const fixed: boolean[] = [];
  const prior = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const q = index.questions[k];
    let p = 0;
    if (asked?.has(q.id)) p -= T.askedPenalty;
    if (options.role !== undefined && q.roles.length > 0 && !q.roles.includes(options.role)) p -= T.rolePenalty;
    if (q.retired) p -= T.retiredPenalty;
    prior[k] = p;
  }
  for (const turn of turns) {
    const w = new Float64Array(n);
    const e = new Float64Array(n);
    const marked = (turn.marked ?? []).map((id) => index.position.get(id)).filter((k): k is number => k !== undefined);
    if (turn.marked && turn.marked.length > 0) {
      fixed.push(true);
      e.fill(-Infinity);
      for (const k of marked) e[k] = 0;
      // A turn marked only with IDs that are not in the guide holds the position where it is.
      emitNone.push(marked.length ? -Infinity : 0);
    } else {
      fixed.push(false);
      const vec = index.vectorOf(turn.text);
      for (let k = 0; k < n; k++) {
        w[k] = score(vec, index.vectors[k]);
        e[k] = T.scale * w[k] + prior[k];
      }
      emitNone.push(T.scale * T.noneLevel + (turn.text.includes('?') ? 0 : T.noQuestionMark));
    }
    words.push(w);
    emit.push(e);
  }

  const posterior = forwardBackward(index, emit, emitNone);

  const out: TurnSuggestion[] = turns.map((_turn, t) => {
    if (fixed[t]) return { marker: null, candidates: [] };
    const post = posterior[t];
    const order = [...Array(n).keys()].sort((a, b) => post.q[b] - post.q[a] || words[t][b] - words[t][a] || a - b);
    const candidates = order
      .slice(0, MAX_CANDIDATES)
      .filter((k) => post.q[k] > 0 || words[t][k] > 0)
      .map((k) => ({ id: index.questions[k].id, text: index.questions[k].text, score: round(post.q[k]) }));
    const best = order[0];
    const second = Math.max(post.none, post.q[order[1]] ?? 0);
    const confident = post.q[best] >= T.minProbability && post.q[best] - second >= T.minMargin && words[t][best] >= T.minWords;
    return { marker: confident ? index.questions[best].id : null, candidates };
  });

  // At most one marker per question (the most probable turn), unless it was clearly asked again;
  // never a second marker for a question the transcript already marks, unless clearly asked again.
  const byQuestion = new Map<string, number[]>();
  out.forEach((s, t) => {
    if (s.marker !== null) byQuestion.set(s.marker, [...(byQuestion.get(s.marker) ?? []), t]);
  });
  for (const [id, ts] of byQuestion) {
    const k = index.position.get(id)!;
    const keep = ts.reduce((a, b) => (posterior[b].q[k] > posterior[a].q[k] ? b : a));
    for (const t of ts) {
      const clearlyAgain = words[t][k] >= T.reask;
      if ((t !== keep || asked?.has(id)) && !clearlyAgain) out[t].marker = null;
    }
  }
  return out;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

// ---------------------------------------------------------------- the guide's words

interface TurnVector {
  /** Unit-length weights of the turn's words. */
  weights: Map<string, number>;
  /** The rarity of each of its words that the guide uses. */
  idf: Map<string, number>;
}

interface GuideWords {
  questions: QuestionDef[];
  position: Map<string, number>;
  vectors: Map<string, number>[];
  /** The odds of moving forward to question k from k - d (d = 1..BAND; k - d = -1: the start), at [k * BAND + d - 1]. */
  forwardOdds: Float64Array;
  vectorOf(text: string): TurnVector;
}

/** Per guide model (immutable), its vectors and transition table: a code action asks many times. */
const cache = new WeakMap<GuideModel, GuideWords>();

function guideIndex(guide: GuideModel): GuideWords {
  let g = cache.get(guide);
  if (!g) {
    g = buildIndex(guide);
    cache.set(guide, g);
  }
  return g;
}

function buildIndex(guide: GuideModel): GuideWords {
  const T = TUNING;
  const position = new Map<string, number>();
  const questions: QuestionDef[] = [];
  for (const q of guide.questions) {
    if (position.has(q.id)) continue; // a repeated ID: the first definition is the question
    position.set(q.id, questions.length);
    questions.push(q);
  }
  const known = new Set<string>();
  for (const q of questions) for (const a of acronymsOf([q.text, ...q.prompts].join(' '))) known.add(a);
  if (guide.title) for (const a of acronymsOf(guide.title.value)) known.add(a);
  if (guide.note) for (const a of acronymsOf(guide.note)) known.add(a);
  for (const s of guide.sections) if (s.note) for (const a of acronymsOf(s.note)) known.add(a);

  // Raw term weights per question: its own words 1, its prompts' words `promptWeight`.
  const raw = questions.map((q) => {
    const m = new Map<string, number>();
    for (const t of termsOf(q.text, known)) m.set(t, Math.max(m.get(t) ?? 0, 1));
    for (const p of q.prompts) for (const t of termsOf(p, known)) m.set(t, Math.max(m.get(t) ?? 0, T.promptWeight));
    return m;
  });
  const df = new Map<string, number>();
  for (const m of raw) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const N = questions.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + N / d));
  const vectors = raw.map((m) => normalise(new Map([...m].map(([t, w]) => [t, w * idf.get(t)!]))));

  // Words the guide never uses cannot tell its questions apart, but they do say that the turn is about
  // something else: they count in the turn's length at `unknownWeight`.
  const unknownIdf = Math.log(1 + N) * T.unknownWeight;
  const vectorOf = (text: string): TurnVector => {
    const m = new Map<string, number>();
    const raw = new Map<string, number>();
    for (const t of termsOf(text, known)) {
      const w = idf.get(t);
      if (w !== undefined) {
        m.set(t, w);
        raw.set(t, w);
      } else if (unknownIdf > 0) m.set(t, unknownIdf);
    }
    return { weights: normalise(m), idf: raw };
  };

  // Transitions. "Gap" counts the questions passed over, follow-ups counting less (they are optional).
  // G[i]: the gap of the questions before i, so moving from p to k passes over G[k] - G[p + 1].
  const G = new Float64Array(N + 1);
  questions.forEach((q, i) => {
    G[i + 1] = G[i] + (q.parentId !== undefined ? T.followupGap : 1);
  });
  const forwardOdds = new Float64Array(N * BAND);
  for (let k = 0; k < N; k++) {
    for (let d = 1; d <= BAND && k - d >= -1; d++) forwardOdds[k * BAND + d - 1] = (1 + G[k] - G[k - d + 1]) ** -T.forward;
  }
  return { questions, position, vectors, forwardOdds, vectorOf };
}

function normalise(m: Map<string, number>): Map<string, number> {
  let s = 0;
  for (const w of m.values()) s += w * w;
  if (s === 0) return m;
  const r = 1 / Math.sqrt(s);
  for (const [t, w] of m) m.set(t, w * r);
  return m;
}

/** The word score of a turn against a question: cosine, less where the words shared are few and common. */
function score(turn: TurnVector, question: Map<string, number>): number {
  const c = cosine(turn.weights, question);
  if (c === 0 || TUNING.evidence === 0) return c;
  let shared = 0;
  for (const [t, w] of turn.idf) if (question.has(t)) shared += w;
  return c * (1 - Math.exp(-shared / TUNING.evidence));
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) {
    const v = large.get(t);
    if (v !== undefined) s += w * v;
  }
  return s;
}

// ---------------------------------------------------------------- the alignment

interface Posterior {
  /** Probability that the turn asks each question. */
  q: Float64Array;
  none: number;
}

/**
 * Forward–backward over positions in the guide. State p after a turn is the last question asked so far
 * (p = -1 before any; stored at index p + 1). A turn that asks none keeps p; one that asks k moves to k.
 * In probabilities scaled turn by turn (as hidden Markov models are computed), so the work is turns ×
 * questions² multiplications and no logarithm in the inner loops.
 */
function forwardBackward(index: GuideWords, emit: Float64Array[], emitNone: number[]): Posterior[] {
  const n = index.questions.length;
  const S = n + 1;
  const turns = emit.length;
  const AGAIN = Math.exp(-TUNING.again);
  const BACK = Math.exp(-TUNING.back);
  const FAR = (1 + BAND) ** -TUNING.forward;
  // Emissions as odds against each turn's best reading, so none overflows.
  const e: Float64Array[] = [];
  const eNone: number[] = [];
  for (let t = 0; t < turns; t++) {
    let m = emitNone[t];
    for (let k = 0; k < n; k++) if (emit[t][k] > m) m = emit[t][k];
    const row = new Float64Array(n);
    for (let k = 0; k < n; k++) row[k] = emit[t][k] === -Infinity ? 0 : Math.exp(emit[t][k] - m);
    e.push(row);
    eNone.push(emitNone[t] === -Infinity ? 0 : Math.exp(emitNone[t] - m));
  }

  // Forward: alpha[t] is the distribution of the position after turn t; into[t][k] the weight of arriving at k.
  const alpha: Float64Array[] = [];
  const into: Float64Array[] = [];
  let prev = new Float64Array(S);
  prev[0] = 1;
  const start = prev;
  const prefix = new Float64Array(S + 1);
  for (let t = 0; t < turns; t++) {
    for (let p = 0; p < S; p++) prefix[p + 1] = prefix[p] + prev[p];
    const inK = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // States are positions + 1: question k is state k + 1, the start state 0.
      let v = AGAIN * prev[k + 1] + BACK * (prefix[S] - prefix[k + 2]);
      const near = Math.max(0, k + 1 - BAND);
      v += FAR * prefix[near];
      const row = k * BAND;
      for (let st = near; st <= k; st++) v += prev[st] * oddsAhead(index, row, k + 1 - st);
      inK[k] = v;
    }
    const cur = new Float64Array(S);
    cur[0] = prev[0] * eNone[t];
    let sum = cur[0];
    for (let k = 0; k < n; k++) {
      cur[k + 1] = prev[k + 1] * eNone[t] + inK[k] * e[t][k];
      sum += cur[k + 1];
    }
    if (sum > 0) for (let p = 0; p < S; p++) cur[p] /= sum;
    into.push(inK);
    alpha.push(cur);
    prev = cur;
  }

  // Backward: beta[t][p] is the weight of the turns after t given position p after turn t (scaled per turn).
  const beta: Float64Array[] = new Array(turns);
  beta[turns - 1] = new Float64Array(S).fill(1);
  const ekPrefix = new Float64Array(n + 1);
  for (let t = turns - 1; t > 0; t--) {
    const next = beta[t];
    const ek = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      ek[k] = e[t][k] * next[k + 1];
      ekPrefix[k + 1] = ekPrefix[k] + ek[k];
    }
    const cur = new Float64Array(S);
    let max = 0;
    for (let st = 0; st < S; st++) {
      const p = st - 1;
      // From position p: back to any k < p, again to p, forward to k within the band, far beyond it.
      let v = next[st] * eNone[t] + BACK * ekPrefix[Math.max(0, p)];
      if (p >= 0) v += AGAIN * ek[p];
      const bandEnd = Math.min(n - 1, p + BAND);
      for (let k = p + 1; k <= bandEnd; k++) v += ek[k] * oddsAhead(index, k * BAND, k - p);
      if (bandEnd + 1 < n) v += FAR * (ekPrefix[n] - ekPrefix[bandEnd + 1]);
      cur[st] = v;
      if (v > max) max = v;
    }
    if (max > 0) for (let p = 0; p < S; p++) cur[p] /= max;
    beta[t - 1] = cur;
  }

  const out: Posterior[] = [];
  for (let t = 0; t < turns; t++) {
    const before = t === 0 ? start : alpha[t - 1];
    let none = 0;
    for (let p = 0; p < S; p++) none += before[p] * eNone[t] * beta[t][p];
    const q = new Float64Array(n);
    let z = none;
    for (let k = 0; k < n; k++) {
      q[k] = into[t][k] * e[t][k] * beta[t][k + 1];
      z += q[k];
    }
    if (z > 0) {
      for (let k = 0; k < n; k++) q[k] /= z;
      none /= z;
    } else none = 1;
    out.push({ q, none });
  }
  return out;
}
