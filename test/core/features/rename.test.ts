/**
 * Rename (SPEC §6). A rename is shown as the whole study after the edit is
 * applied, every file in fixture form, so that any change outside the renamed
 * IDs shows up as a difference. Refusals are shown as their reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRename, rename } from '../../../server/src/core/languageService';
import { LineIndex, type Position } from '../../../server/src/core/text';
import { applyWorkspaceEdit, cursorOf, fixture, parseFixture, type Fixture } from '../../support/fixture';

const STUDY = `//- /a.guide.yaml
id: a
title: A
sections:
  - id: s
    title: S
    questions:
      - id: reasons
        text: Why?
        followups:
          - id: whose-idea
            text: Whose?
      - id: benefits
        text: What good?
//- /b.guide.yaml
id: b
title: B
sections:
  - id: s
    title: S
    questions:
      - id: reasons
        text: Why, for parents?
      - id: support
        text: Who helped?
//- /c.codebook.yaml
codes:
  - id: benefit
    label: Benefits
    questions: [benefits, "support"]
    children:
      - id: family
        label: For the family
  - id: old
    label: Old
    deprecated: true
    replacedBy: benefit/family
  - id: aim
    label: Aims
    questions:
      - reasons
//- /sw01.transcript
---
guide: a
skipped: [whose-idea]
---
I: @reasons Zoë 👩‍👧 said: {yes}#benefit/family #benefit
R: @benefits #benefit/family/other #benefitx #aim

%% #benefit in a memo stays, @reasons too %%
//- /p01.transcript
---
guide: b
skipped:
  support: not asked
---
I: @reasons #benefit
`;

/** The study with `$0` placed at the first occurrence of `marker`'s `|` (e.g. `#bene|fit/family`). */
function at(marker: string): Fixture {
  const plain = marker.replace('|', '');
  const i = STUDY.indexOf(plain);
  assert.ok(i >= 0, `'${plain}' is not in the study`);
  return fixture(STUDY.slice(0, i) + marker.replace('|', '$0') + STUDY.slice(i + plain.length));
}

/** The text of `STUDY` after renaming at `marker` to `newName`, or the reason it was refused. */
function renamed(marker: string, newName: string): string {
  const f = at(marker);
  const c = cursorOf(f);
  const result = rename(f.study, c.uri, c.position, newName);
  if ('error' in result) return `refused: ${result.error}`;
  const after = applyWorkspaceEdit(f.texts, result.edit);
  return parseFixture(STUDY).map((file) => `//- ${file.path}\n${after.get(file.path.slice(1))}`).join('\n');
}

/** `STUDY` with each [from, to] replacement made, in order, each exactly once. */
function expected(...changes: [string, string][]): string {
  let out = STUDY;
  for (const [from, to] of changes) {
    assert.equal(out.split(from).length, 2, `'${from}' must occur exactly once in the study`);
    out = out.replace(from, to);
  }
  return out;
}

/** What prepareRename offers: the text its range covers and the placeholder, or the refusal. */
function prepared(marker: string): string {
  const f = at(marker);
  const c = cursorOf(f);
  const r = prepareRename(f.study, c.uri, c.position);
  if (!r) return 'nothing';
  if ('error' in r) return `refused: ${r.error}`;
  const text = f.texts.get(c.uri)!;
  const lines = new LineIndex(text);
  return `${text.slice(lines.offsetAt(r.range.start), lines.offsetAt(r.range.end))} (placeholder ${r.placeholder})`;
}

describe('renaming a code', () => {
  it('renames a parent code everywhere, and the paths of its children follow, touching nothing else', () => {
    assert.equal(renamed('#bene|fit/family #benefit', 'gain'), expected(
      ['  - id: benefit\n', '  - id: gain\n'],
      ['replacedBy: benefit/family', 'replacedBy: gain/family'],
      ['{yes}#benefit/family #benefit\n', '{yes}#gain/family #gain\n'],
      ['#benefit/family/other', '#gain/family/other'],
      ['I: @reasons #benefit\n', 'I: @reasons #gain\n'],
    ));
  });

  it('renames a child code by its last segment only, given as a segment or as a full path', () => {
    const result = expected(
      ['      - id: family', '      - id: kin'],
      ['replacedBy: benefit/family', 'replacedBy: benefit/kin'],
      ['{yes}#benefit/family #benefit', '{yes}#benefit/kin #benefit'],
      ['#benefit/family/other', '#benefit/kin/other'],
    );
    assert.equal(renamed('#benefit/fam|ily #benefit', 'kin'), result);
    assert.equal(renamed('#benefit/fam|ily #benefit', 'benefit/kin'), result);
    assert.equal(renamed('#benefit/fam|ily #benefit', '#kin'), result);
  });

  it('renames the same way from the codebook definition and from a replacedBy value', () => {
    const fromUse = renamed('#bene|fit/family #benefit', 'gain');
    assert.equal(renamed('codes:\n  - id: bene|fit', 'gain'), fromUse);
    assert.equal(renamed('replacedBy: ben|efit/family', 'gain'), fromUse);
    assert.equal(renamed('replacedBy: benefit/fam|ily', 'kin'), renamed('#benefit/fam|ily #benefit', 'kin'));
  });

  it('offers the segment under the cursor, with the cursor at the start, middle or end of it', () => {
    assert.equal(prepared('{yes}#|benefit/family'), 'benefit (placeholder benefit)');
    assert.equal(prepared('{yes}|#benefit/family'), 'benefit (placeholder benefit)');
    assert.equal(prepared('{yes}#benefit|/family'), 'benefit (placeholder benefit)');
    assert.equal(prepared('{yes}#benefit/|family'), 'family (placeholder family)');
    assert.equal(prepared('{yes}#benefit/family| #benefit'), 'family (placeholder family)');
    assert.equal(prepared('- id: fam|ily'), 'family (placeholder family)');
  });

  it('refuses an invalid name, a name taken, a move to another parent, and an unknown code', () => {
    assert.equal(renamed('#bene|fit/family #benefit', 'two words'),
      "refused: 'two words' is not a valid code name: use letters, digits and `_`, with `-` only between them (no spaces, `/` or `.`), such as `la-lawyer`.");
    assert.equal(renamed('#bene|fit/family #benefit', 'aim'), "refused: There is already a code 'aim' (in c.codebook.yaml). Choose another name.");
    assert.equal(renamed('#benefit/fam|ily #benefit', 'aim/family'),
      "refused: Renaming cannot move a code to another parent: give the new name as one segment (such as 'family-new') or as a path starting with 'benefit/'.");
    assert.equal(renamed('#benefit/fam|ily #benefit', 'benefit/family/deeper'),
      "refused: Renaming cannot move a code to another parent: give the new name as one segment (such as 'family-new') or as a path starting with 'benefit/'.");
    assert.equal(renamed('#a|im', 'benefit/aim'),
      "refused: Renaming cannot move a code to another parent: give the new name as one segment (such as 'aim-new').");
    assert.equal(renamed('#benefi|tx', 'y'), "refused: 'benefitx' is not in the codebook, so there is nothing to rename. Add it to the codebook first, or correct it.");
    assert.equal(prepared('#benefit/family/oth|er'), "refused: 'benefit/family/other' is not in the codebook, so there is nothing to rename. Add it to the codebook first, or correct it.");
  });

  it('changes nothing when the name stays the same', () => {
    assert.equal(renamed('#a|im', 'aim'), expected());
  });
});

describe('renaming a question', () => {
  it('renames it in its guide and in the transcripts of that guide only, leaving codebook links another guide shares', () => {
    assert.equal(renamed('I: @rea|sons Zoë', 'why'), expected(
      ['      - id: reasons\n        text: Why?', '      - id: why\n        text: Why?'],
      ['I: @reasons Zoë', 'I: @why Zoë'],
    ));
  });

  it('renames codebook links and skipped entries when only its guide has the ID', () => {
    assert.equal(renamed('R: @bene|fits', 'gains'), expected(
      ['      - id: benefits', '      - id: gains'],
      ['questions: [benefits,', 'questions: [gains,'],
      ['R: @benefits', 'R: @gains'],
    ));
    assert.equal(renamed('skipped: [whose-i|dea]', 'who'), expected(
      ['          - id: whose-idea', '          - id: who'],
      ['skipped: [whose-idea]', 'skipped: [who]'],
    ));
  });

  it('renames inside quotes and in a skipped map without touching the reason', () => {
    assert.equal(renamed('  sup|port: not asked', 'helpers'), expected(
      ['      - id: support', '      - id: helpers'],
      ['"support"', '"helpers"'],
      ['  support: not asked', '  helpers: not asked'],
    ));
  });

  it('renames the same from the guide as from a marker', () => {
    assert.equal(renamed('      - id: rea|sons\n        text: Why?', 'why'), renamed('I: @rea|sons Zoë', 'why'));
  });

  it('offers the ID without its @, also after non-ASCII text', () => {
    assert.equal(prepared('I: |@reasons Zoë'), 'reasons (placeholder reasons)');
    assert.equal(prepared('R: @benefits| #benefit/family/other'), 'benefits (placeholder benefits)');
  });

  it('refuses an invalid or taken ID, an unknown question, and a codebook link several guides share', () => {
    assert.equal(renamed('I: @rea|sons Zoë', 'why.'),
      "refused: 'why.' is not a valid question ID: use letters, digits and `_`, with `.` or `-` only between them, such as `reasons` or `Q3.2`.");
    assert.equal(renamed('I: @rea|sons Zoë', 'benefits'), "refused: Guide 'a' already has a question 'benefits'. Choose another name.");
    assert.equal(renamed('      - rea|sons', 'why'),
      "refused: 'reasons' is a question of several guides (a, b): rename it from a guide or a transcript, so that it is clear which one is meant.");
    assert.equal(prepared('guide: |a'), 'refused: A guide ID cannot be renamed here: change it in the guide and in the `guide:` line of each transcript.');
    assert.equal(prepared('I: @reasons Zoë 👩‍👧 said:| {yes}'), 'nothing');
  });

  it('refuses a marker that names no question of the guide', () => {
    const f = fixture(`${STUDY}//- /sw02.transcript\n---\nguide: a\n---\n@nothing$0\n`);
    const c = cursorOf(f);
    assert.deepEqual(rename(f.study, c.uri, c.position, 'x'), { error: "'nothing' is not a question of this transcript's guide, so there is nothing to rename." });
  });
});

describe('rename edits', () => {
  it('cover exactly the renamed characters, in document order, one edit per use', () => {
    const f = at('#bene|fit/family #benefit');
    const r = rename(f.study, 'sw01.transcript', cursorOf(f).position, 'gain');
    assert.ok('edit' in r);
    const pos = (p: Position): string => `${p.line + 1}:${p.character + 1}`;
    // Columns count UTF-16 units: 'Zoë ' is 4 and the emoji family '👩‍👧' 5, so `#benefit` starts at column 34.
    assert.deepEqual(r.edit.changes['sw01.transcript'].map((e) => `${pos(e.range.start)}-${pos(e.range.end)} ${e.newText}`), [
      '5:35-5:42 gain',
      '5:51-5:58 gain',
      '6:15-6:22 gain',
    ]);
  });
});

describe('IDs written other than plainly', () => {
  /** The study `text` (a fixture with `$0`) after renaming at the cursor to `newName`, or the reason it was refused. */
  function renameIn(text: string, newName: string): string {
    const f = fixture(text);
    const c = cursorOf(f);
    const result = rename(f.study, c.uri, c.position, newName);
    if ('error' in result) return `refused: ${result.error}`;
    const after = applyWorkspaceEdit(f.texts, result.edit);
    return parseFixture(text.replace('$0', '')).map((file) => `//- ${file.path}\n${after.get(file.path.slice(1))}`).join('\n');
  }
  const guide = (id: string): string => `//- /a.guide.yaml\nid: a\ntitle: A\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: ${id}\n        text: Why?\n`;
  const codebook = (id: string, extra = ''): string => `//- /c.codebook.yaml\ncodes:\n  - id: ${id}\n    label: Benefits\n${extra}`;
  const transcript = (body: string, front = ''): string => `//- /t.transcript\n---\nguide: a\n${front}---\n${body}\n`;

  it('refuses a question whose ID is a block scalar, naming the file and line, and keeps its comment', () => {
    const study = `${guide('|- # asked first\n          reasons')}${transcript('I: @rea$0sons Why?')}`;
    assert.equal(renameIn(study, 'why'),
      "refused: a.guide.yaml, line 7, writes 'reasons' as a YAML block scalar (after `|` or `>`), so renaming it would change more than the ID. Write it plainly on its line (`reasons`) and try again.");
  });

  it('refuses a code whose ID is written with escape sequences, naming the file and line', () => {
    const study = `${codebook('"bene\\x66it"')}${transcript('I: #bene$0fit')}`;
    assert.equal(renameIn(study, 'gain'),
      "refused: c.codebook.yaml, line 2, writes 'benefit' with escape sequences or over several lines, so renaming it would change more than the ID. Write it plainly (`benefit`) and try again.");
  });

  it('refuses when a codebook link, a replacement or a skipped entry is not written plainly', () => {
    const links = `${guide('reasons')}${codebook('benefit', '    questions: [benefits, "rea\\u0073ons"]\n')}${transcript('I: @rea$0sons')}`;
    assert.match(renameIn(links, 'why'), /^refused: c\.codebook\.yaml, line 4, writes 'reasons' with escape sequences/);
    const folded = `${guide('reasons')}${codebook('benefit', '  - id: old\n    label: Old\n    replacedBy: >-\n      benefit\n')}${transcript('I: #bene$0fit')}`;
    assert.match(renameIn(folded, 'gain'), /^refused: c\.codebook\.yaml, line 6, writes 'benefit' as a YAML block scalar/);
    const skipped = `${guide('reasons')}${transcript('I: @rea$0sons', 'skipped: ["rea\\x73ons"]\n')}`;
    assert.match(renameIn(skipped, 'why'), /^refused: t\.transcript, line 3, writes 'reasons' with escape sequences/);
  });

  it('renames IDs in single and double quotes without escapes, keeping the quotes and comments', () => {
    const study = `${guide("'reasons' # the first one")}${codebook('"benefit"', '    questions: ["reasons"] # linked\n')}${transcript('I: @rea$0sons #benefit', "skipped: ['reasons']\n")}`;
    assert.equal(renameIn(study, 'why'), study.replace('$0', '').replace(/reasons/g, 'why'));
    assert.equal(renameIn(study.replace('#benefit', '#bene$0fit').replace('@rea$0sons', '@reasons'), 'gain'),
      study.replace('$0', '').replace(/benefit/g, 'gain'));
  });
});
