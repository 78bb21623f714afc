/**
 * Answer regions shared by markers in one paragraph (SPEC §4.2): a segment answers every question of
 * its region, in marker order, and `question` stays the first of them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codedSegments } from '../../server/src/core/counts';
import { answerRegions } from '../../server/src/core/regions';
import { segmentsCsv, segmentsMarkdown } from '../../server/src/core/render/codeTables';
import type { TranscriptModel } from '../../server/src/core/model';
import { wireSegment } from '../../server/src/wire';
import { fixture } from '../support/fixture';

const STUDY = `//- /g.guide.yaml
id: g
title: Guide
sections:
  - id: s
    title: Only
    questions:
      - id: fairness
        text: Is it fair?
      - id: privacy
        text: Is it private?
      - id: cost
        text: What did it cost?
//- /c.codebook.yaml
codes:
  - id: view
  - id: money
//- /a.transcript
---
guide: g
---
R: {Before any question}#view

I: @fairness @privacy How do you handle fairness and privacy?
R: {Both matter to us}#view

R: Still the same answer. #money

I: @cost What did it cost? And @fairness again, asked later in this turn.
R: {A morning}#money

I: @privacy
R: Nothing more. #view
`;

function segments(): { code: string; questions: string[]; question: string | null; excerpt: string }[] {
  const f = fixture(STUDY);
  return codedSegments(f.study, (uri) => f.texts.get(uri)).map((r) => ({ code: r.code, questions: r.questions, question: r.question, excerpt: r.excerpt }));
}

describe('answer regions shared by markers in one paragraph', () => {
  it('a region starts at the first marker of a paragraph and holds every marker of that paragraph', () => {
    const f = fixture(STUDY);
    const model = f.study.get('a.transcript')!.model as TranscriptModel;
    assert.deepEqual(answerRegions(model).map((r) => r.questions), [['fairness', 'privacy'], ['cost', 'fairness'], ['privacy']]);
  });

  it('a segment answers every question of its region, in marker order; `question` is the first', () => {
    assert.deepEqual(segments(), [
      { code: 'view', questions: [], question: null, excerpt: 'Before any question' },
      { code: 'view', questions: ['fairness', 'privacy'], question: 'fairness', excerpt: 'Both matter to us' },
      { code: 'money', questions: ['fairness', 'privacy'], question: 'fairness', excerpt: 'R: Still the same answer.' },
      { code: 'money', questions: ['cost', 'fairness'], question: 'cost', excerpt: 'A morning' },
      { code: 'view', questions: ['privacy'], question: 'privacy', excerpt: 'R: Nothing more.' },
    ]);
  });

  it('the wire row carries `questions` and `question`; CSV and Markdown name every question', () => {
    const f = fixture(STUDY);
    const rows = codedSegments(f.study, (uri) => f.texts.get(uri));
    const wire = wireSegment(rows[1], (u) => u);
    assert.deepEqual(wire.questions, ['fairness', 'privacy']);
    assert.equal(wire.question, 'fairness');
    const csvLines = segmentsCsv(rows).trim().split(/\r?\n/);
    assert.equal(csvLines[0], 'file,participant,role,question,code,start line,end line,text');
    assert.equal(csvLines[2], 'a.transcript,a,,fairness; privacy,view,7,7,Both matter to us');
    assert.equal(csvLines[1], 'a.transcript,a,,,view,4,4,Before any question');
    const md = segmentsMarkdown(rows);
    assert.match(md, /\| `view` \| a \| `fairness`, `privacy` \| 7 \| Both matter to us \|/);
    assert.match(md, /\| `view` \| a \| — \| 4 \|/);
  });
});
