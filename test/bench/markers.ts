/**
 * The question-marker matcher on a long interview: a guide of 60 questions (20 of them follow-ups, with
 * prompts) and 200 interviewer turns, about a fifth of them small talk, the rest asking the guide's questions
 * mostly in order in other words. Times `suggestMarkers` (the guide's words read afresh each run, as for a
 * new import) and the "Mark as question" code action on the same interview as a transcript (parse, turns,
 * matcher), in this process.
 */
import { parseGuide } from '../../server/src/core/guide';
import { suggestMarkers } from '../../server/src/core/import/suggestMarkers';
import { getCodeActions } from '../../server/src/core/languageService';
import { Study } from '../../server/src/core/study';
import { median, round } from './stats';

export interface MarkerFigures {
  questions: number;
  turns: number;
  /** Median of the runs, milliseconds. */
  suggestMs: number;
  /** CPU time of the same runs (what the wall time would be on an idle machine, near enough). */
  suggestCpuMs: number;
  codeActionMs: number;
  codeActionCpuMs: number;
  /** The code action on a hostile size: a guide of `bigQuestions` questions, a transcript of `bigTurns` interviewer turns. */
  big: { questions: number; turns: number; codeActionMs: number };
  runs: number;
}

const WORDS = `budget rota handover patient family visit letter court lawyer meeting parent child school teacher pupil
lesson laptop internet record consent training manager colleague supervision caseload deadline report review
panel conference plan risk safety weekend night shift break sleep meal transport housing benefit debt health
doctor nurse ward discharge referral assessment interpreter language culture religion neighbour police court
order placement foster kinship contact advocate complaint feedback survey target funding equipment software`.split(/\s+/);

/** A deterministic pseudo-random sequence (the same guide and interview every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function markerInterview(sections = 10, length = 200): { guideText: string; turns: string[]; transcript: string } {
  const r = random(42);
  const pick = (): string => WORDS[Math.floor(r() * WORDS.length)];
  const questionText = (): string => `How did the ${pick()} and the ${pick()} affect your ${pick()} during the ${pick()}?`;
  const lines = ['id: long', 'title: A long guide', 'sections:'];
  const texts: string[] = [];
  for (let s = 0; s < sections; s++) {
    lines.push(`  - id: s${s}`, `    title: Section ${s}`, '    questions:');
    for (let q = 0; q < 4; q++) {
      const id = `q${s}-${q}`;
      const text = questionText();
      texts.push(text);
      lines.push(`      - id: ${id}`, `        text: ${text}`, '        prompts:', `          - ${pick()}, ${pick()}, ${pick()}`);
      if (q % 2 === 0) {
        const f = questionText();
        texts.push(f);
        lines.push('        followups:', `          - id: ${id}-f`, `            text: ${f}`);
      }
    }
  }
  const turns: string[] = [];
  let at = 0;
  while (turns.length < length) {
    if (r() < 0.2) {
      turns.push(['Mm.', 'Right, okay.', 'Can you say more about that?', 'Thank you, that is helpful.'][Math.floor(r() * 4)]);
      continue;
    }
    at = r() < 0.1 ? Math.floor(r() * texts.length) : (at + 1) % texts.length;
    const words = texts[at].replace(/\?$/, '').split(' ').filter(() => r() < 0.7);
    turns.push(`So, ${words.join(' ')}, would you say?`);
  }
  const transcript = `---\nguide: long\n---\n\n${turns.map((t, i) => `I: ${t}\nR: Answer number ${i}.\n`).join('\n')}`;
  return { guideText: `${lines.join('\n')}\n`, turns, transcript };
}

export function measureMarkers(runs: number): MarkerFigures {
  const { guideText, turns, transcript } = markerInterview();
  const questions = parseGuide(guideText).questions.length;
  const suggest: number[] = [];
  const action: number[] = [];
  const suggestCpu: number[] = [];
  const actionCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  for (let i = 0; i < runs + 1; i++) {
    const guide = parseGuide(guideText);
    let c0 = process.cpuUsage();
    let t0 = performance.now();
    suggestMarkers(guide, turns);
    const s = performance.now() - t0;
    const sc = cpuMs(c0);
    // The code action at the last interviewer turn, on a transcript model parsed afresh (no cache can help).
    const study = Study.fromFiles([{ uri: 'long.guide.yaml', path: 'long.guide.yaml', text: guideText }, { uri: 'i.transcript', path: 'i.transcript', text: transcript }]);
    const line = 4 + 3 * (turns.length - 1); // the last interviewer turn
    c0 = process.cpuUsage();
    t0 = performance.now();
    const actions = getCodeActions(study, 'i.transcript', transcript, { start: { line, character: 4 }, end: { line, character: 4 } }, []);
    const a = performance.now() - t0;
    const ac = cpuMs(c0);
    if (actions.length === 0) throw new Error('the long interview got no "Mark as question" action');
    if (i > 0) { // the first run warms the JIT
      suggest.push(s);
      action.push(a);
      suggestCpu.push(sc);
      actionCpu.push(ac);
    }
  }
  // A hostile size: 2,000 questions and 10,000 interviewer turns, one run (the editor reads 201 turns of it).
  const big = markerInterview(334, 10_000);
  const bigStudy = Study.fromFiles([{ uri: 'big.guide.yaml', path: 'big.guide.yaml', text: big.guideText }, { uri: 'b.transcript', path: 'b.transcript', text: big.transcript }]);
  const bigLine = 4 + 3 * 5_000; // the 5,001st interviewer turn (front matter, a blank line, then 3 lines a turn)
  const b0 = performance.now();
  const bigActions = getCodeActions(bigStudy, 'b.transcript', big.transcript, { start: { line: bigLine, character: 4 }, end: { line: bigLine, character: 4 } }, []);
  const bigMs = performance.now() - b0;
  if (bigActions.length === 0) throw new Error('the hostile interview got no "Mark as question" action');
  return {
    big: { questions: parseGuide(big.guideText).questions.length, turns: big.turns.length, codeActionMs: round(bigMs, 0) },
    questions, turns: turns.length, runs,
    suggestMs: round(median(suggest), 1), suggestCpuMs: round(median(suggestCpu), 1),
    codeActionMs: round(median(action), 1), codeActionCpuMs: round(median(actionCpu), 1),
  };
}
