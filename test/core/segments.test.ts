/**
 * Retrieval of coded segments (SPEC §10) and the memos list on a hand-read study: codes with their
 * descendants or alone, questions by ID or `GUIDE:ID` (a shared answer region answers all of its questions),
 * `--where`, the paragraphs around a passage, and each memo with its questions and the codes of its paragraph.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codedSegments, type SegmentQuery } from '../../server/src/core/counts';
import { unmatchedCase } from '../../server/src/core/coverage';
import { memos } from '../../server/src/core/memos';
import { segmentsCsv, segmentsHtml, segmentsMarkdown } from '../../server/src/core/render/codeTables';
import { memosCsv, memosMarkdown } from '../../server/src/core/render/memos';
import { fixture } from '../support/fixture';

const STUDY = `//- /g.guide.yaml
id: g
title: G
sections:
  - id: s
    title: S
    questions:
      - id: q1
        text: One?
      - id: q2
        text: Two?
      - id: q3
        text: Three?
//- /c.codebook.yaml
codes:
  - id: a
    children:
      - id: b
  - id: c
//- /t1.transcript
---
guide: g
role: swr
---
I: @q1 @q2 First two.
R: {outer {inner}#a/b text}#a #c %% Note
   on this. %%

I: @q3 Third.
R: Paragraph coded. #a/b #zz #a/new

R: Later.
//- /t2.transcript
---
guide: g
role: tm
---
I: @q1 One.
R: {Yes}#c %% Ask again. %%
R: Nothing here. %% plain %%
`;

const { study, texts } = fixture(STUDY);
const get = (uri: string): string | undefined => texts.get(uri);
/** Each segment as `file code "excerpt"`, for reading against the study above. */
const found = (q: SegmentQuery): string[] => codedSegments(study, get, q).map((r) => `${r.file} ${r.code} "${r.excerpt}"`);

describe('segments', () => {
  it('with no filter, every coded segment in file then document order', () => {
    assert.equal(found({}).length, 7);
  });

  it('a code brings its known sub-codes; unknown codes below it and other codes stay out; --exact keeps the code alone', () => {
    assert.deepEqual(found({ codes: ['a'] }), [
      't1.transcript a/b "inner"',
      't1.transcript a "outer inner text"',
      't1.transcript a/b "R: Paragraph coded."',
    ]);
    assert.deepEqual(found({ codes: ['a'], exact: true }), ['t1.transcript a "outer inner text"']);
    assert.deepEqual(found({ codes: ['a/new'] }), ['t1.transcript a/new "R: Paragraph coded."']);
    assert.deepEqual(found({ codes: ['a/b', 'c'] }).length, 4);
    assert.deepEqual(found({ codes: ['nothing'] }), []);
  });

  it('one code as written (the Codes view) keeps that code only', () => {
    assert.deepEqual(found({ code: 'a' }), ['t1.transcript a "outer inner text"']);
  });

  it('a question keeps the segments of its answer region, shared regions included, by ID or GUIDE:ID', () => {
    assert.deepEqual(found({ questions: ['q2'] }), [
      't1.transcript a/b "inner"', 't1.transcript a "outer inner text"', 't1.transcript c "outer inner text"',
    ]);
    assert.deepEqual(found({ questions: ['g:q1'] }).length, 4);
    assert.deepEqual(found({ questions: ['other:q1'] }), []);
    assert.deepEqual(found({ questions: ['q3'], codes: ['a'] }), ['t1.transcript a/b "R: Paragraph coded."']);
  });

  it('--where keeps the transcripts it matches', () => {
    assert.deepEqual(found({ filter: new Map([['role', new Set(['tm'])]]) }), ['t2.transcript c "Yes"']);
  });

  it('--context N adds the N paragraphs before and after the passage, fewer at the ends of a transcript', () => {
    const rows = codedSegments(study, get, { codes: ['c'], context: 2 });
    assert.deepEqual(rows.map((r) => [r.before, r.after]), [
      [['I: First two.'], ['I: Third.', 'R: Paragraph coded.']],
      [['I: One.'], ['R: Nothing here.']],
    ]);
    assert.equal(codedSegments(study, get, { codes: ['c'] })[0].before, undefined, 'no context asked, none given');
  });

  it('renders context in Markdown, CSV and HTML, the passage apart from the paragraphs around it', () => {
    const rows = codedSegments(study, get, { codes: ['c'], context: 1 });
    const md = segmentsMarkdown(rows);
    assert.match(md, /^## `c`: t1, `q1`, `q2` \(t1\.transcript, line 6\)$/m);
    assert.match(md, /^I: First two\.\n\n> \*\*outer inner text\*\*\n\nI: Third\.$/m);
    const csv = segmentsCsv(rows).split(/\r?\n/);
    assert.ok(csv[0].endsWith(',text,before,after'), csv[0]);
    assert.ok(csv[1].endsWith(',outer inner text,I: First two.,I: Third.'), csv[1]);
    assert.match(segmentsHtml(rows), /<p class="context">I: First two\.<\/p><p><strong>outer inner text<\/strong><\/p><p class="context">I: Third\.<\/p>/);
    assert.ok(!segmentsCsv(codedSegments(study, get, {})).split(/\r?\n/)[0].includes('before'));
  });
});

describe('memos', () => {
  it('lists every memo with its questions, the codes of its paragraph and its text', () => {
    const rows = memos(study, get);
    assert.deepEqual(rows.map((r) => [r.file, r.participant, r.range.start.line, r.questions, r.codes, r.text]), [
      ['t1.transcript', 't1', 5, ['q1', 'q2'], ['a', 'c', 'a/b'], 'Note\non this.'],
      ['t2.transcript', 't2', 5, ['q1'], ['c'], 'Ask again.'],
      ['t2.transcript', 't2', 6, ['q1'], [], 'plain'],
    ]);
    // The range covers the memo with both `%%`.
    const first = rows[0].range;
    const line = texts.get('t1.transcript')!.split('\n');
    assert.equal(line[first.start.line].slice(first.start.character, first.start.character + 2), '%%');
    assert.equal(line[first.end.line].slice(first.end.character - 2, first.end.character), '%%');
  });

  it('--code keeps memos beside that code or a sub-code; --where the transcripts it matches', () => {
    assert.deepEqual(memos(study, get, { codes: ['a'] }).map((r) => r.text), ['Note\non this.']);
    assert.deepEqual(memos(study, get, { codes: ['c'] }).map((r) => r.text), ['Note\non this.', 'Ask again.']);
    assert.deepEqual(memos(study, get, { filter: new Map([['role', new Set(['tm'])]]) }).map((r) => r.text), ['Ask again.', 'plain']);
  });

  it('renders Markdown and CSV', () => {
    const rows = memos(study, get);
    assert.match(memosMarkdown(rows), /^\| t1\.transcript \| t1 \| 6 \| `q1`, `q2` \| `a`, `c`, `a\/b` \| Note on this\. \|$/m);
    assert.equal(memosCsv(rows).split(/\r?\n/)[0], 'file,participant,role,line,question,codes,memo');
    assert.match(memosMarkdown([]), /No memos\./);
  });
});

describe('a --where or --by that matches nothing', () => {
  const where = (...pairs: [string, string][]): Map<string, Set<string>> => {
    const m = new Map<string, Set<string>>();
    for (const [k, v] of pairs) m.set(k, (m.get(k) ?? new Set()).add(v));
    return m;
  };

  it('is said, with the nearest key, or the value differing only in case', () => {
    assert.deepEqual(unmatchedCase(study, where(['rol', 'tm'])), ["--where rol: no transcript has 'rol' in its front matter. Did you mean 'role'?"]);
    assert.deepEqual(unmatchedCase(study, where(['role', 'TM'])), ["--where role=TM: no transcript has role 'TM'. Did you mean 'tm'?"]);
    assert.deepEqual(unmatchedCase(study, where(['role', 'xyz'])), ["--where role=xyz: no transcript has role 'xyz'."]);
    assert.deepEqual(unmatchedCase(study, undefined, 'rolle'), ["--by rolle: no transcript has 'rolle' in its front matter. Did you mean 'role'? Every transcript is counted under (none)."]);
  });

  it('is silent when every key and value occurs in some transcript (one value of a key given twice is enough to say)', () => {
    assert.deepEqual(unmatchedCase(study, where(['role', 'tm'], ['participant', 't1']), 'role'), []);
    assert.deepEqual(unmatchedCase(study, where(['role', 'tm'], ['role', 'nobody'])).length, 1);
    assert.deepEqual(unmatchedCase(study, undefined), []);
  });
});
