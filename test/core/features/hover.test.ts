/**
 * Hovers (SPEC §6), compared as the Markdown a person reads, and the range the
 * editor highlights shown as the text it covers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getHover } from '../../../server/src/core/languageService';
import { LineIndex } from '../../../server/src/core/text';
import { cursorOf, fixture, type Fixture } from '../../support/fixture';
import { study } from './base';

function hover(f: Fixture): string | undefined {
  const c = cursorOf(f);
  return getHover(f.study, c.uri, c.position)?.contents;
}

/** The text the hover's range covers. */
function covered(f: Fixture): string | undefined {
  const c = cursorOf(f);
  const h = getHover(f.study, c.uri, c.position);
  if (!h) return undefined;
  const text = f.texts.get(c.uri)!;
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(h.range.start), lines.offsetAt(h.range.end));
}

const USES = '//- /sw02.transcript\n---\nguide: ppp\nrole: tm\n---\n@benefits {Mum listened}#benefit/family\n\n#benefit/family #benefit\n\n@reasons #aim\n';

describe('hover on a code', () => {
  it('shows the label, definition, linked questions with their text and the study\'s use of it', () => {
    const f = study(`//- /sw01.transcript\n---\nguide: ppp\n---\n@benefits #bene$0fit\n${USES}`);
    assert.equal(hover(f), [
      '**#benefit** · Benefits of the process',
      'Any advantage the interviewee sees.',
      '**When to use:** The interviewee names a gain.  \n**When not to use:** Benefits of court proceedings.  \n**Example:** “It gave mum a wake-up call.”',
      '**Linked question**:\n- `@benefits` What were the benefits?',
      'Used in 2 segments in 2 transcripts. With its sub-codes: 4 segments in 2 transcripts.',
    ].join('\n\n'));
  });

  it('says where inherited links come from, and counts one segment coded twice once', () => {
    const f = study(`//- /sw01.transcript\n@benefits #benefit/family$0 #benefit/family\n${USES}`);
    assert.equal(hover(f), [
      '**#benefit/family** · Benefits for the family',
      '**Linked question** (from `#benefit`):\n- `@benefits` What were the benefits?',
      'Used in 3 segments in 2 transcripts.',
    ].join('\n\n'));
  });

  it('names the replacement of a deprecated code', () => {
    const f = study('//- /sw01.transcript\nR: #lawyer-$0role\n');
    assert.equal(hover(f), '**#lawyer-role** · Role of the lawyer\n\n**Deprecated**: use `#role/la-lawyer` instead.\n\nUsed in 1 segment in 1 transcript.');
  });

  it('says an unknown code is not in the codebook, with did-you-mean suggestions', () => {
    assert.equal(hover(study('//- /sw01.transcript\nR: #benefit/famly$0\n')),
      '**#benefit/famly** is not in the codebook. Did you mean `#benefit/family`?\n\nUsed in 1 segment in 1 transcript.');
    assert.equal(hover(study('//- /sw01.transcript\nR: #Benefit$0\n')),
      '**#Benefit** is not in the codebook as written: codes are case-sensitive. Did you mean `#benefit`?\n\nUsed in 1 segment in 1 transcript.');
  });

  it('covers the whole token, with the cursor at its start, middle or end', () => {
    for (const body of ['$0#aim/warning.', '#$0aim/warning.', '#aim/war$0ning.', '#aim/warning$0.']) {
      const f = study(`//- /sw01.transcript\nR: Zoë 👩‍👧 {said}${body}\n`);
      assert.equal(covered(f), '#aim/warning', body);
    }
  });

  it('shows nothing on plain text or past the end of a line', () => {
    assert.equal(hover(study('//- /sw01.transcript\nR: a$0 b #aim\n')), undefined);
    const f = study('//- /sw01.transcript\nR: #aim\n');
    assert.equal(getHover(f.study, 'sw01.transcript', { line: 0, character: 20 }), undefined);
  });

  it('works on a code\'s id in the codebook and on a replacedBy value', () => {
    const f = study(`//- /sw01.transcript\n#role/la-lawyer\n`);
    const cb = f.texts.get('themes.codebook.yaml')!.split('\n');
    const idLine = cb.findIndex((l) => l.includes('id: la-lawyer'));
    const h1 = getHover(f.study, 'themes.codebook.yaml', { line: idLine, character: cb[idLine].indexOf('la-lawyer') + 2 });
    assert.equal(h1?.contents, '**#role/la-lawyer** · The local-authority lawyer\n\nUsed in 1 segment in 1 transcript.');
    const byLine = cb.findIndex((l) => l.includes('replacedBy'));
    const h2 = getHover(f.study, 'themes.codebook.yaml', { line: byLine, character: cb[byLine].length });
    assert.equal(h2?.contents, h1?.contents);
  });
});

describe('hover on a question', () => {
  it('shows the text, section, prompts, roles, whether it is optional, and how often it was asked', () => {
    const f = study(`//- /sw01.transcript\n---\nguide: ppp\n---\nI: @job-t$0itle Your job?\n${USES}//- /sw03.transcript\n---\nguide: other\n---\n@job-title\n`);
    assert.equal(hover(f), [
      '**@job-title** What is your job title?',
      '**Section:** Background (`background`)',
      '**Prompts:**\n- How long in post?',
      '**Roles:** every participant  \n**Expected**: counted in coverage.',
      'Asked in 1 of 2 transcripts.',
    ].join('\n\n'));
  });

  it('lists follow-ups, and marks a follow-up and a role-bound question as such', () => {
    const reasons = hover(study('//- /sw01.transcript\n@reasons$0\n'));
    assert.match(reasons!, /\*\*Follow-ups:\*\*\n- `@whose-idea` Whose idea was it\?/);
    const followup = hover(study('//- /sw01.transcript\n@whose-idea$0\n'));
    assert.match(followup!, /\*\*Follow-up of:\*\* `@reasons`/);
    assert.match(followup!, /\*\*Optional\*\*: not counted in coverage\./);
    const oversight = hover(study('//- /sw01.transcript\n@oversight$0\n'));
    assert.match(oversight!, /\*\*Roles:\*\* Team manager \(`tm`\)/);
  });

  it('says an unknown question is not in the guide, with did-you-mean suggestions', () => {
    assert.equal(hover(study('//- /sw01.transcript\nI: @reason$0\n')), '**@reason** is not a question of guide `ppp`. Did you mean `@reasons`?');
    assert.equal(hover(study('//- /sw01.transcript\n---\nguide: nope\n---\nI: @reasons$0\n')), '`@reasons` cannot be looked up: there is no guide `nope` in this study.');
  });

  it('works on a question\'s id in the guide, on a skipped entry and on a codebook questions entry', () => {
    const f = study(`//- /sw01.transcript\n---\nskipped: [oversi$0ght]\n---\n`);
    assert.match(hover(f)!, /^\*\*@oversight\*\* How do you oversee the process\?/);
    const g = f.texts.get('ppp.guide.yaml')!.split('\n');
    const line = g.findIndex((l) => l.includes('id: oversight'));
    assert.equal(getHover(f.study, 'ppp.guide.yaml', { line, character: g[line].length })?.contents, hover(f));
    const cb = f.texts.get('themes.codebook.yaml')!.split('\n');
    const ql = cb.findIndex((l) => l.includes('questions: [reasons]'));
    const h = getHover(f.study, 'themes.codebook.yaml', { line: ql, character: cb[ql].indexOf('reasons') });
    assert.ok(h!.contents.startsWith('**@reasons** What were the reasons for the meeting?\n\n**Section:** The meeting (`the-meeting`)  \n**Guide:** General interviews (`ppp`)'), h!.contents);
  });
});

describe('hover on a question of a guide with notes, conditions and retired questions', () => {
  const GUIDE = `//- /ppp.guide.yaml
id: ppp
title: General interviews
note: Read the consent form aloud first.
sections:
  - id: decision
    title: The decision
    note: Still about the example meeting.
    questions:
      - id: reasons
        text: What were the reasons?
        followups:
          - id: whose-idea
            text: Whose idea was it?
            condition: if the meeting was not routine
          - id: old-probe
            text: Was it your idea?
            retired: true
      - id: arrangements
        text: How was it arranged?
  - id: closing
    title: Closing
    questions:
      - id: anything-else
        text: Anything else?
`;

  it('shows the condition, the section\'s note and the guide\'s note on every marker', () => {
    assert.equal(hover(fixture(`${GUIDE}//- /sw01.transcript\nI: @whose-$0idea Whose?\n`)), [
      '**@whose-idea** Whose idea was it?',
      '**Condition:** if the meeting was not routine',
      '**Section:** The decision (`decision`)  \n**Follow-up of:** `@reasons`',
      '**Section note:** Still about the example meeting.',
      '**Roles:** every participant  \n**Optional**: not counted in coverage.',
      'Asked in 1 of 1 transcript.',
      '**Guide note:** Read the consent form aloud first.',
    ].join('\n\n'));
    const closing = hover(fixture(`${GUIDE}//- /sw01.transcript\nI: @anything-else$0\n`))!;
    assert.ok(closing.endsWith('\n\n**Guide note:** Read the consent form aloud first.'), closing);
    assert.ok(!closing.includes('Section note'), closing);
  });

  it('says a retired question is never expected, and tags it among its parent\'s follow-ups', () => {
    const retired = hover(fixture(`${GUIDE}//- /sw01.transcript\nI: @old-$0probe\n`))!;
    assert.match(retired, /\*\*Retired\*\*: dropped from the guide, so never expected and not counted in coverage\./);
    const parent = hover(fixture(`${GUIDE}//- /sw01.transcript\nI: @reasons$0\n`))!;
    assert.match(parent, /\*\*Follow-ups:\*\*\n- `@whose-idea` Whose idea was it\?\n- `@old-probe` Was it your idea\? \(retired\)/);
  });

  it('says a marker naming a section is no question, and names questions to mark instead', () => {
    assert.equal(hover(fixture(`${GUIDE}//- /sw01.transcript\nI: @decis$0ion\n`)),
      '**@decision** names the section `decision` (The decision) of guide `ppp`, not a question: mark one of its questions, such as `@reasons` or `@arrangements`.');
  });

  it('shows the guide\'s note on its ID in a transcript\'s front matter', () => {
    assert.match(hover(fixture(`${GUIDE}//- /sw01.transcript\n---\nguide: pp$0p\n---\n`))!, /^\*\*Guide\*\* `ppp`: General interviews\n\nRead the consent form aloud first\.\n\n/);
  });
});

describe('hover in front matter', () => {
  it('describes the guide named by guide:, or says there is no such guide', () => {
    assert.equal(hover(study('//- /sw01.transcript\n---\nguide: pp$0p\n---\n')),
      '**Guide** `ppp`: General interviews\n\n3 sections, 6 questions (follow-ups included).\n\n**Roles:** Social worker (`swr`), Team manager (`tm`)\n\nFollowed by 1 transcript.');
    assert.equal(hover(study('//- /sw01.transcript\n---\nguide: pp$0\n---\n')), 'There is no guide `pp` in this study. Did you mean `ppp`?');
  });

  it('gives a role\'s label', () => {
    assert.equal(hover(study('//- /sw01.transcript\n---\nrole: tm$0\n---\n')), '**Role** `tm`: Team manager\n\nIn guide `ppp`.');
  });
});

describe('Markdown safety', () => {
  it('escapes study text that would read as Markdown, and keeps word-inner underscores', () => {
    const f = study('//- /x.codebook.yaml\ncodes:\n  - id: star\n    label: "*Very* <b>bold</b> [link](x) a_b _c_"\n//- /sw01.transcript\n#star$0\n');
    assert.match(hover(f)!, /^\*\*#star\*\* · \\\*Very\\\* \\<b\\>bold\\<\/b\\> \\\[link\\\]\(x\) a_b \\_c\\_$/m);
  });
});
