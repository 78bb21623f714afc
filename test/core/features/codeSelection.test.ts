/**
 * Code Selection (SPEC §6): the candidate codes for a passage, and the edit that codes it. In the
 * fixtures `⟦` and `⟧` mark a selection and `$0` an empty one (a cursor); a fixture may hold several.
 * An edit is shown as the transcript's whole text after it, a refusal as `refused: <reason>`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeSelection, getCodeCandidates } from '../../../server/src/core/languageService';
import { LineIndex, type Range } from '../../../server/src/core/text';
import { applyEdits, fixture, type Fixture } from '../../support/fixture';
import { GUIDE, CODEBOOK } from './base';

interface Selections {
  f: Fixture;
  uri: string;
  ranges: Range[];
}

/** The study of `files` (after the shared guide and codebook), with the selections marked in one of its files. */
function selecting(files: string): Selections {
  let uri: string | undefined;
  const ranges: Range[] = [];
  const clean: string[] = [];
  let current = '';
  let text = '';
  const marks: { open?: number; at: number }[] = [];
  const pending: number[] = [];
  for (const line of (GUIDE + CODEBOOK + files).split('\n')) {
    const header = /^\/\/- \/(\S+)\s*$/.exec(line);
    if (header) {
      current = header[1];
      text = '';
      clean.push(line);
      continue;
    }
    let out = '';
    for (let i = 0; i < line.length; i++) {
      const mark = line.startsWith('$0', i) ? '$0' : line[i] === '⟦' || line[i] === '⟧' ? line[i] : undefined;
      if (mark === undefined) { out += line[i]; continue; }
      uri = current;
      const at = text.length + out.length;
      if (mark === '⟦') pending.push(at);
      else if (mark === '⟧') marks.push({ open: pending.pop(), at });
      else marks.push({ at });
      if (mark === '$0') i++;
    }
    text += `${out}\n`;
    clean.push(out);
  }
  const f = fixture(clean.join('\n'));
  assert.ok(uri, 'the fixture marks no selection');
  const lines = new LineIndex(f.texts.get(uri)!);
  for (const m of marks) ranges.push({ start: lines.positionAt(m.open ?? m.at), end: lines.positionAt(m.at) });
  return { f, uri, ranges };
}

/** The marked transcript's whole text after coding the selections with `code`, or `refused: …`. */
function coded(files: string, code: string): string {
  const { f, uri, ranges } = selecting(files);
  const text = f.texts.get(uri)!;
  const r = codeSelection(f.study, uri, text, ranges, code);
  if ('error' in r) return `refused: ${r.error}`;
  for (const e of r.edits) assert.deepEqual(e.range.start, e.range.end, 'every edit is an insertion');
  return applyEdits(text, r.edits);
}

/** The candidates as a person reads them in the pick list: `code — label — definition`. */
function candidates(files: string): string[] | string {
  const { f, uri, ranges } = selecting(files);
  const r = getCodeCandidates(f.study, uri, f.texts.get(uri)!, ranges);
  if ('error' in r) return `refused: ${r.error}`;
  return r.map((c) => [c.code, c.label, c.detail].filter((x) => x !== undefined).join(' — '));
}

const FRONT = '---\nguide: ppp\nrole: swr\n---\n';
/** The transcript sw01 with `body` after its front matter (its first body line is line 5). */
const T = (body: string): string => `//- /sw01.transcript\n${FRONT}${body}`;

describe('coding a selection', () => {
  it('wraps the selection in { and }#code and changes no other character', () => {
    assert.equal(
      coded(T('I: @reasons Why the meeting?\nR: Mum kept ⟦missing appointments⟧ again.\n'), 'aim/warning'),
      `${FRONT}I: @reasons Why the meeting?\nR: Mum kept {missing appointments}#aim/warning again.\n`,
    );
  });

  it('trims blank space and line breaks from both ends, so a selection of whole lines codes their words', () => {
    assert.equal(
      coded(T('R: Yes.\n⟦  She kept missing appointments.  \n⟧\nR: No.\n'), 'aim'),
      `${FRONT}R: Yes.\n  {She kept missing appointments.}#aim  \n\nR: No.\n`,
    );
  });

  it('starts after the speaker label when the selection starts at it, so the turn stays a turn', () => {
    assert.equal(
      coded(T('I: @reasons Why?\n⟦R: Mum kept missing appointments.\n⟧\nI: Thanks.\n'), 'aim'),
      `${FRONT}I: @reasons Why?\nR: {Mum kept missing appointments.}#aim\n\nI: Thanks.\n`,
    );
    assert.equal(coded(T('⟦Interviewer 1: So⟧ what happened?\n'), 'aim'), `${FRONT}Interviewer 1: {So}#aim what happened?\n`);
  });

  it('codes a passage that crosses lines and turns, and one that holds whole coded passages', () => {
    assert.equal(
      coded(T('R: ⟦First line\nsecond line.\n\nI: And then?⟧\n'), 'aim'),
      `${FRONT}R: {First line\nsecond line.\n\nI: And then?}#aim\n`,
    );
    assert.equal(
      coded(T('R: ⟦Mum {kept}#aim missing⟧ appointments.\n'), 'benefit'),
      `${FRONT}R: {Mum {kept}#aim missing}#benefit appointments.\n`,
    );
    assert.equal(
      coded(T('R: {Mum ⟦kept⟧ missing}#aim appointments.\n'), 'benefit'),
      `${FRONT}R: {Mum {kept}#benefit missing}#aim appointments.\n`,
    );
  });

  it('ends right after a code or a closing brace when the selection does', () => {
    assert.equal(coded(T('R: ⟦Yes, {she did}#aim⟧ and more.\n'), 'benefit'), `${FRONT}R: {Yes, {she did}#aim}#benefit and more.\n`);
    assert.equal(coded(T('R: ⟦Yes #aim⟧\n'), 'benefit'), `${FRONT}R: {Yes #aim}#benefit\n`);
  });

  it('codes the paragraph of an empty selection, adding ` #code` at the end of its last line', () => {
    assert.equal(
      coded(T('I: @reasons Why?\nR: Mum kept$0 missing appointments.\nShe said so.   \n\nI: @benefits And?\n'), 'aim'),
      `${FRONT}I: @reasons Why?\nR: Mum kept missing appointments.\nShe said so. #aim   \n\nI: @benefits And?\n`,
    );
  });

  it('puts the code of a paragraph that ends in a span\'s codes on a line of its own, where it codes the paragraph', () => {
    assert.equal(coded(T('R: Mum agreed. {She came}#aim$0\n'), 'benefit'), `${FRONT}R: Mum agreed. {She came}#aim\n#benefit\n`);
    // With the file's own line breaks.
    assert.equal(
      coded('//- /sw01.transcript\n---\r\nguide: ppp\r\n---\r\nR: {She came}#aim #aim/warning$0\r\n', 'benefit'),
      '---\r\nguide: ppp\r\n---\r\nR: {She came}#aim #aim/warning\r\n#benefit\r\n',
    );
  });

  it('codes several selections in one edit, and a paragraph named twice once', () => {
    assert.equal(
      coded(T('R: ⟦Mum⟧ agreed and ⟦Dad⟧ did not.$0\n\nR: Later$0 on.$0\n'), 'aim'),
      `${FRONT}R: {Mum}#aim agreed and {Dad}#aim did not. #aim\n\nR: Later on. #aim\n`,
    );
    // A passage that ends the paragraph coded too: the paragraph's code goes on its own line.
    assert.equal(coded(T('R: Mum ⟦agreed.⟧$0\n'), 'aim'), `${FRONT}R: Mum {agreed.}#aim\n#aim\n`);
  });

  it('leaves a paragraph that already has the code as it is', () => {
    assert.equal(coded(T('R: Mum agreed. #aim$0\n'), 'aim'), 'refused: This paragraph is already coded #aim.');
    assert.equal(coded(T('R: Mum agreed. #aim$0\n\nR: Dad$0 did not.\n'), 'aim'), `${FRONT}R: Mum agreed. #aim\n\nR: Dad did not. #aim\n`);
  });

  it('keeps a byte-order mark, CRLF line breaks and text beyond the Basic Multilingual Plane', () => {
    assert.equal(
      coded('//- /sw01.transcript\n\uFEFF---\r\nguide: ppp\r\n---\r\nR: Café 😀 ⟦Zoë came⟧.\r\n', 'benefit/family'),
      '\uFEFF---\r\nguide: ppp\r\n---\r\nR: Café 😀 {Zoë came}#benefit/family.\r\n',
    );
  });

  it('accepts a code that is not in the codebook yet (it is then flagged, with the fix to add it)', () => {
    assert.equal(coded(T('R: ⟦Yes⟧.\n'), 'new-theme/sub'), `${FRONT}R: {Yes}#new-theme/sub.\n`);
  });
});

describe('refusing a selection that cannot be coded', () => {
  it('refuses a selection that would cross a brace of a coded passage, either way', () => {
    assert.equal(
      coded(T('I: @reasons Why?\nR: ⟦Mum {kept⟧ missing}#aim appointments.\n'), 'benefit'),
      'refused: The selection would cross a brace of the coded passage on line 6. Select the whole of that passage or none of it.',
    );
    assert.equal(
      coded(T('R: {Mum kept\n⟦missing}#aim appointments⟧.\n'), 'benefit'),
      'refused: The selection would cross a brace of the coded passage on line 5–6. Select the whole of that passage or none of it.',
    );
  });

  it('refuses a selection holding a brace that is never closed, or one that closes nothing', () => {
    assert.equal(
      coded(T('R: ⟦Mum {kept missing⟧ appointments.\n'), 'aim'),
      'refused: The selection holds a { that is never closed (line 5). Close that coded passage first, or leave its { out of the selection.',
    );
    assert.equal(
      coded(T('R: ⟦Mum kept} missing⟧ appointments.\n'), 'aim'),
      'refused: The selection holds a } that closes nothing (line 5). Fix that brace first, or leave it out of the selection.',
    );
  });

  it('refuses a selection in the front matter', () => {
    assert.equal(
      coded('//- /sw01.transcript\n---\nguide: ⟦ppp⟧\n---\nR: Yes.\n', 'aim'),
      'refused: The selection is in the front matter (between the --- lines). Select a passage of the interview below it.',
    );
    assert.equal(
      coded('//- /sw01.transcript\n---\nguide: ppp$0\n---\nR: Yes.\n', 'aim'),
      'refused: The selection is in the front matter (between the --- lines). Select a passage of the interview below it.',
    );
  });

  it('refuses a selection that starts or ends inside a code, a marker, a memo, an escape or a span\'s codes', () => {
    const advice = (edge: string): string => `Select a little more or less, so that it ${edge} outside it.`;
    assert.equal(coded(T('R: Yes #aim/war⟦ning and more⟧.\n'), 'benefit'), `refused: The selection starts inside the code #aim/warning. ${advice('starts')}`);
    assert.equal(coded(T('I: @rea⟦sons Why?⟧\n'), 'benefit'), `refused: The selection starts inside the question marker @reasons. ${advice('starts')}`);
    assert.equal(coded(T('R: ⟦Yes %% a memo⟧ %% and more.\n'), 'benefit'), `refused: The selection ends inside a memo (%% … %%). ${advice('ends')}`);
    assert.equal(
      coded(T('R: {Yes}⟦#aim and more⟧.\n'), 'benefit'),
      `refused: The selection starts inside the codes of a coded passage (between its } and its last code). ${advice('starts')}`,
    );
    assert.equal(coded(T('R: Price \\⟦{5} and⟧ more.\n'), 'benefit'), `refused: The selection starts inside the escape \\{. ${advice('starts')}`);
  });

  it('refuses a selection right after a backslash, which would make the brace literal', () => {
    assert.equal(
      coded(T('R: The folder C:\\⟦Users⟧ was shared.\n'), 'benefit'),
      'refused: The selection starts right after a backslash, which would turn the brace into a literal one. Select a little more or less.',
    );
  });

  it('refuses a selection that ends in the middle of a word, where the code would run on', () => {
    const reason = 'refused: The selection ends in the middle of a word, so the code would run on into the letters after it. Select whole words.';
    assert.equal(coded(T('R: ⟦Zo⟧ë came.\n'), 'aim'), reason);
    assert.equal(coded(T('R: Her ⟦well⟧-being.\n'), 'aim'), reason);
    // A full stop or a dash between words ends a code path: nothing runs on.
    assert.equal(coded(T('R: Her ⟦well⟧- and more.\n'), 'aim'), `${FRONT}R: Her {well}#aim- and more.\n`);
  });

  it('refuses overlapping selections', () => {
    assert.equal(
      coded(T('R: ⟦Mum ⟦kept⟧ going⟧.\n'), 'aim'),
      'refused: Two of the selections overlap (on line 5). Coded passages may nest but not overlap: code them one at a time.',
    );
  });

  it('refuses a selection of blank space or markup alone, and a cursor on a blank line', () => {
    assert.equal(
      coded(T('R: Yes.⟦   ⟧\n'), 'aim'),
      'refused: The selection holds no interview text. Select the words to code, or put the cursor in a paragraph to code the whole paragraph.',
    );
    assert.equal(
      coded(T('R: Yes. ⟦#benefit⟧\n'), 'aim'),
      'refused: The selection holds no interview text. Select the words to code, or put the cursor in a paragraph to code the whole paragraph.',
    );
    assert.equal(
      coded(T('R: Yes.\n$0\nR: No.\n'), 'aim'),
      'refused: The cursor is on a blank line. Put it in a paragraph of the interview to code that paragraph, or select the passage to code.',
    );
  });

  it('refuses to code a paragraph that ends in an unclosed memo, where the code would be memo text', () => {
    assert.equal(
      coded(T('R: Yes$0 %% a memo with no end\n'), 'aim'),
      'refused: This paragraph ends in a memo with no closing %% (line 5), so a code there would be part of the memo. Close the memo first.',
    );
  });

  it('refuses a code that is not a code path', () => {
    assert.equal(
      coded(T('R: ⟦Yes⟧.\n'), 'a theme'),
      'refused: "a theme" is not a code path: each part is made of letters, digits and _, joined by -, and parts are separated by / (as in benefit/family).',
    );
  });

  it('refuses a selection whose brace would turn text into markup', () => {
    // `name{@example.org` would read `@example.org` as a question marker.
    assert.equal(
      coded(T('R: Write to name⟦@example.org please⟧.\n'), 'aim'),
      'refused: This selection cannot be coded without changing how the markup around it is read. Select a little more or less, or add the braces by hand.',
    );
  });

  it('refuses a document that is not a transcript', () => {
    const f = fixture(GUIDE + CODEBOOK);
    const r = codeSelection(f.study, 'ppp.guide.yaml', f.texts.get('ppp.guide.yaml')!, [{ start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }], 'aim');
    assert.deepEqual(r, { error: 'Code Selection codes passages of a transcript (a *.transcript file); this document is not one.' });
  });
});

describe('the codes offered for a selection', () => {
  it('ranks codes linked to the question being answered first, then by use, leaving deprecated codes out', () => {
    assert.deepEqual(
      candidates(
        T('I: @reasons Why the meeting?\nR: ⟦Mum kept missing appointments.⟧\n') +
        '//- /sw02.transcript\n---\nguide: ppp\n---\nR: #role/la-lawyer\n\nR: #role/la-lawyer #lawyer-role\n\nR: #benefit/child\n',
      ),
      [
        'aim — Aims of the meeting',
        'aim/warning — A warning',
        'role/la-lawyer — The local-authority lawyer',
        'benefit/child — Benefits for the child',
        'benefit — Benefits of the process — Any advantage the interviewee sees.',
        'benefit/family — Benefits for the family',
        'role — Roles in the process',
      ],
    );
  });

  it('ranks for the question of an empty selection\'s paragraph, and for the first of several selections', () => {
    const list = candidates(T('I: @reasons Why?\nR: Yes.\n\nI: @benefits And the benefits?\nR: Many$0.\n\nR: ⟦More⟧.\n'));
    assert.deepEqual((list as string[]).slice(0, 3), [
      'benefit — Benefits of the process — Any advantage the interviewee sees.',
      'benefit/child — Benefits for the child',
      'benefit/family — Benefits for the family',
    ]);
  });

  it('gives the definition in one line, from when to use it when there is no description', () => {
    const f = `${T('R: ⟦Yes⟧.\n')}//- /more.codebook.yaml\ncodes:\n  - id: zeal\n    label: Zeal\n    whenToUse: |\n      The interviewee shows\n      enthusiasm.\n`;
    assert.ok((candidates(f) as string[]).includes('zeal — Zeal — The interviewee shows enthusiasm.'));
  });

  it('refuses, before any code is picked, a selection that could not be coded', () => {
    assert.equal(
      candidates('//- /sw01.transcript\n---\nguide: ⟦ppp⟧\n---\nR: Yes.\n'),
      'refused: The selection is in the front matter (between the --- lines). Select a passage of the interview below it.',
    );
  });
});
