/**
 * "Mark as question …" (SPEC §12): on an interviewer turn without a marker, the matcher's three best
 * questions, each inserting `@id ` after the speaker label and nothing else. Shown as titles, and
 * applying one as the transcript's text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCodeActions } from '../../../server/src/core/languageService';
import type { CodeAction } from '../../../server/src/core/features/types';
import { applyWorkspaceEdit, fixture, type Fixture } from '../../support/fixture';
import { study } from './base';

const FRONT = '---\nguide: ppp\nrole: swr\n---\n';

/** The "Mark as question" actions at the cursor `$0`. */
function marks(f: Fixture, labels?: string[]): CodeAction[] {
  const c = f.cursor!;
  const range = { start: c.position, end: c.position };
  return getCodeActions(f.study, c.uri, f.texts.get(c.uri)!, range, [], undefined, labels ? { interviewerLabels: labels } : {})
    .filter((a) => a.title.startsWith('Mark as question'));
}

describe('Mark as question', () => {
  it('offers the three likeliest questions on an unmarked interviewer turn, the likeliest first', () => {
    const f = study(`//- /sw01.transcript
${FRONT}
I: @job-title What is your job title?
R: Senior practitioner.

I: So wh$0y did you decide to hold the meeting? What were your reasons?
R: Mum kept missing appointments.
`);
    const actions = marks(f);
    assert.deepEqual(actions.map((a) => a.title).slice(0, 1), ['Mark as question reasons: What were the reasons for the meeting?']);
    assert.equal(actions.length, 3);
    assert.ok(actions.every((a) => a.kind === 'refactor'));
    assert.equal(actions[0].isPreferred, true);
  });

  it('inserts `@id ` right after the label and changes no other character', () => {
    const f = study(`//- /sw01.transcript
${FRONT}
I: @job-title What is your job title?
R: Senior practitioner.

I:   What were the re$0asons for the meeting?\r
R: Mum kept missing appointments.
`);
    const text = f.texts.get('sw01.transcript')!;
    const after = applyWorkspaceEdit(f.texts, marks(f)[0].edit).get('sw01.transcript')!;
    assert.equal(after, text.replace('I:   What were', 'I:   @reasons What were'));
  });

  it('offers nothing on a turn that already has a marker, on a respondent turn or in the front matter', () => {
    const marked = study(`//- /sw01.transcript
${FRONT}
I: @reasons What were the re$0asons for the meeting?
R: Mum kept missing appointments.
`);
    assert.deepEqual(marks(marked), []);
    const respondent = study(`//- /sw01.transcript
${FRONT}
I: What were the reasons for the meeting?
R: The reasons were$0 simple.
`);
    assert.deepEqual(marks(respondent), []);
    const front = study(`//- /sw01.transcript
---
guide: p$0pp
---
I: What were the reasons for the meeting?
`);
    assert.deepEqual(marks(front), []);
  });

  it('reads `Interviewer` and labels starting with it as the interviewer, and other labels when the setting names them', () => {
    for (const label of ['Interviewer', 'Interviewer 2', 'INTERVIEWER AB']) {
      const f = study(`//- /sw01.transcript\n${FRONT}\n${label}: What were the rea$0sons for the meeting?\n`);
      assert.equal(marks(f)[0]?.title, 'Mark as question reasons: What were the reasons for the meeting?', label);
    }
    const po = study(`//- /sw01.transcript\n${FRONT}\nPO: What were the rea$0sons for the meeting?\n`);
    assert.deepEqual(marks(po), []);
    assert.equal(marks(po, ['PO'])[0]?.title, 'Mark as question reasons: What were the reasons for the meeting?');
  });

  it('takes the questions already marked into account: the next one in the guide is offered first', () => {
    const f = study(`//- /sw01.transcript
${FRONT}
I: @job-title What is your job title?
R: Senior practitioner.

I: @experience And your experience of these meetings?
R: About ten.

I: @reasons Why did you hold this one?
R: Mum kept missing appointments.

I: And wh$0o came up with it?
R: My manager.
`);
    assert.equal(marks(f)[0]?.title, 'Mark as question whose-idea: Whose idea was it?');
  });

  it('still reads the guide order in a transcript of hundreds of turns', () => {
    const small = Array.from({ length: 300 }, (_, i) => `I: Mm.\nR: Answer ${i}.\n`).join('\n');
    const f = study(`//- /sw01.transcript
${FRONT}
${small}
I: @reasons What were the reasons for the meeting?
R: Mum kept missing appointments.

I: And wh$0o came up with it?
R: My manager.
`);
    assert.equal(marks(f)[0]?.title, 'Mark as question whose-idea: Whose idea was it?');
  });

  it('offers nothing when the transcript has no guide', () => {
    const f = study(`//- /sw01.transcript\n---\nguide: nowhere\n---\nI: What were the rea$0sons?\n`);
    assert.deepEqual(marks(f), []);
  });
});

describe('the example of docs/markers.md', () => {
  it('turns the transcript without markers into the marked one by choosing the first suggestion on each turn', () => {
    const page = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'markers.md'), 'utf8');
    const block = (file: string): string => {
      const m = new RegExp(`<!-- [^>]*file: ${file.replace('.', '\\.')}[^>]*-->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n`).exec(page);
      assert.ok(m, `docs/markers.md shows ${file}`);
      return m[1];
    };
    const guide = block('visits.guide.yaml');
    let text = block('sw04-before.transcript').replace('participant: SW04 (before)', 'participant: SW04');
    // As a researcher would: the light bulb on each unmarked interviewer turn in turn, the first suggestion taken.
    for (;;) {
      const line = text.split('\n').findIndex((l) => /^I: (?!@)/.test(l));
      if (line < 0) break;
      const f = fixture(`//- /visits.guide.yaml\n${guide}//- /sw04.transcript\n${text}`);
      const at = { line, character: 3 };
      const first = getCodeActions(f.study, 'sw04.transcript', text, { start: at, end: at }, [])[0];
      assert.ok(first?.title.startsWith('Mark as question'), `a suggestion on line ${line}`);
      text = applyWorkspaceEdit(f.texts, first.edit).get('sw04.transcript')!;
    }
    assert.equal(text, block('sw04.transcript'));
  });
});
