/**
 * The question-marker matcher (SPEC §12): its behaviour on small guides, and its accuracy on the
 * held-out interviews of test/fixtures/markers, which must reach the targets and be what
 * docs/markers.md reports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGuide } from '../../server/src/core/guide';
import { suggestForTurns, suggestMarkers } from '../../server/src/core/import/suggestMarkers';
import { evaluateMarkers, share, type MarkerFigures } from '../support/markerEval';

const GUIDE = parseGuide(`id: ppp
title: Pre-proceedings meetings
roles:
  swr: Social worker
  tm: Team manager
sections:
  - id: background
    title: Background
    questions:
      - id: job-title
        text: What is your job title, and how long have you been in post?
      - id: experience
        text: What is your experience of pre-proceedings meetings (PPMs)?
  - id: the-meeting
    title: The meeting
    questions:
      - id: reasons
        text: What were the reasons for holding the meeting?
        followups:
          - id: whose-idea
            text: Whose idea was it?
      - id: venue
        text: Where did the meeting take place?
      - id: benefits
        text: Were there any benefits for the family?
        prompts:
          - advantages for the children, for the parents
      - id: lawyers
        text: How was working with the local authority's lawyers?
  - id: managers
    title: For team managers
    roles: [tm]
    questions:
      - id: oversight
        text: How do you oversee your team's use of the process?
`);

const markers = (turns: string[], asked?: Set<string>): (string | null)[] => suggestMarkers(GUIDE, turns, asked).map((s) => s.marker);

describe('suggestMarkers', () => {
  it('marks each turn that clearly asks a guide question, in the guide order or out of it', () => {
    assert.deepEqual(markers([
      'Could you tell me your job title and how long you have been in post?',
      'Mm.',
      'And where did it take place?',
      'Going back a step: what were the reasons for holding that meeting?',
      'Thank you, that is really helpful.',
    ]), ['job-title', null, 'venue', 'reasons', null]);
  });

  it('finds follow-ups, prompts and acronyms spelled out', () => {
    assert.deepEqual(markers([
      'How much experience do you have of pre-proceedings meetings?',
      'Why did you hold it?',
      'Whose idea was it to have it?',
      'Were there advantages for the children?',
      'And the local authority solicitors, how did you find them?',
    ]), ['experience', 'reasons', 'whose-idea', 'benefits', 'lawyers']);
  });

  it('inserts no marker for small talk, probes and turns that ask nothing from the guide', () => {
    const none = ['Mm-hm.', 'Can you give me an example?', 'Sorry, could you say that again?', 'Right, okay, go on.', 'Is it alright if I record this?', '', '   '];
    assert.deepEqual(markers(none), none.map(() => null));
  });

  it('gives scores between 0 and 1, best first, at most three candidates, and the same answer every time', () => {
    const turns = ['Where did it take place?', 'What were the benefits?', 'Mm.', 'How long in post?'];
    const a = suggestMarkers(GUIDE, turns);
    assert.deepEqual(suggestMarkers(GUIDE, turns), a);
    for (const s of a) {
      assert.ok(s.candidates.length <= 3);
      for (const c of s.candidates) assert.ok(c.score >= 0 && c.score <= 1, `${c.score}`);
      for (let i = 1; i < s.candidates.length; i++) assert.ok(s.candidates[i - 1].score >= s.candidates[i].score);
      if (s.marker !== null) assert.equal(s.candidates[0].id, s.marker);
    }
    assert.equal(a[0].candidates[0].text, 'Where did the meeting take place?');
  });

  it('marks a question once, unless it is clearly asked again', () => {
    assert.deepEqual(markers(['Where did the meeting take place?', 'Where was it?']), ['venue', null]);
    assert.deepEqual(
      markers(['Where did the meeting take place?', 'What were the reasons for holding the meeting?', 'Sorry, where did the meeting take place?']),
      ['venue', 'reasons', 'venue'],
    );
  });

  it('does not mark again a question the transcript already marks, unless clearly asked again', () => {
    assert.deepEqual(markers(['Where was it?'], new Set(['venue'])), [null]);
    assert.deepEqual(markers(['Where did the meeting take place?'], new Set(['venue'])), ['venue']);
  });

  it('follows the turns already marked: after a marked question, the next one in the guide is likeliest', () => {
    const s = suggestForTurns(GUIDE, [{ text: 'Why?', marked: ['reasons'] }, { text: 'And who suggested it?' }], new Set(['reasons']));
    assert.deepEqual(s[0], { marker: null, candidates: [] });
    assert.equal(s[1].candidates[0].id, 'whose-idea');
  });

  it('prefers questions of the participant’s role', () => {
    const turn = [{ text: 'How do you oversee the process in your team?' }];
    assert.equal(suggestForTurns(GUIDE, turn, undefined, { role: 'tm' })[0].marker, 'oversight');
    const swr = suggestForTurns(GUIDE, turn, undefined, { role: 'swr' })[0];
    assert.ok(swr.candidates[0].score < suggestForTurns(GUIDE, turn, undefined, { role: 'tm' })[0].candidates[0].score);
  });

  it('never fails: a guide without questions, odd characters, a very long turn', () => {
    const empty = parseGuide('id: x\ntitle: X\nsections: []\n');
    assert.deepEqual(suggestMarkers(empty, ['Where?', '']), [{ marker: null, candidates: [] }, { marker: null, candidates: [] }]);
    assert.deepEqual(suggestMarkers(GUIDE, []), []);
    const odd = suggestMarkers(GUIDE, ['\u0000\u001b[31m @#{}%% ', '𝒲𝒽𝑒𝓇𝑒 🙂 İstanbul ǅ', 'where '.repeat(20000)]);
    assert.equal(odd.length, 3);
  });
});

/** The three figures as docs/markers.md writes them: `88.1% (74 of 84)`. */
function figure(part: number, whole: number): string {
  return `${(share(part, whole) * 100).toFixed(1)}% (${part} of ${whole})`;
}

describe('accuracy on the held-out interviews (written before tuning, never tuned on)', () => {
  const f: MarkerFigures = evaluateMarkers('heldout');
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'markers.md'), 'utf8');

  it('holds several interviews on three guides, at least a fifth of the turns asking no guide question', () => {
    assert.ok(f.interviews >= 4);
    assert.ok(f.otherTurns / (f.otherTurns + f.questionTurns) >= 0.2, `${f.otherTurns} of ${f.otherTurns + f.questionTurns}`);
  });

  it('suggests the right question first for at least 85% of question turns, and as what docs/markers.md reports', () => {
    assert.ok(share(f.top1, f.questionTurns) >= 0.85, `${figure(f.top1, f.questionTurns)}\n${f.misses.join('\n')}`);
    assert.ok(docs.includes(`| ${figure(f.top1, f.questionTurns)} |`), `docs/markers.md should report ${figure(f.top1, f.questionTurns)}`);
  });

  it('has the right question among the three candidates for at least 95% of question turns', () => {
    assert.ok(share(f.top3, f.questionTurns) >= 0.95, figure(f.top3, f.questionTurns));
    assert.ok(docs.includes(`| ${figure(f.top3, f.questionTurns)} |`), `docs/markers.md should report ${figure(f.top3, f.questionTurns)}`);
  });

  it('marks at most 5% of the turns that ask no guide question', () => {
    assert.ok(share(f.otherMarked, f.otherTurns) <= 0.05, figure(f.otherMarked, f.otherTurns));
    assert.ok(docs.includes(`| ${figure(f.otherMarked, f.otherTurns)} |`), `docs/markers.md should report ${figure(f.otherMarked, f.otherTurns)}`);
  });

  it('reports how many markers it inserts and how many of those are wrong', () => {
    const line = `${f.marked} of ${f.questionTurns} question turns got a marker; ${f.wrongMarkers} of those markers name the wrong question.`;
    assert.ok(docs.includes(line), `docs/markers.md should say: ${line}`);
  });
});
