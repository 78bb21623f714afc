/**
 * Completion (SPEC §6). Items are shown as the list a person sees, in the order
 * the client sorts them (by `sortText`): `label — detail`, `(deprecated)` when
 * tagged. Applying an item is shown as the document line after the edit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getCompletions } from '../../../server/src/core/languageService';
import type { CompletionItem } from '../../../server/src/core/features/types';
import { applyEdits, cursorOf, fixture, type Fixture } from '../../support/fixture';
import { CODEBOOK, GUIDE, study } from './base';

function complete(f: Fixture): CompletionItem[] {
  const c = cursorOf(f);
  return getCompletions(f.study, c.uri, f.texts.get(c.uri)!, c.position);
}

/** The items in the order a client shows them. */
function list(f: Fixture): string[] {
  return complete(f)
    .sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0))
    .map((i) => `${i.label}${i.detail ? ` — ${i.detail}` : ''}${i.deprecated ? ' (deprecated)' : ''}`);
}

/** The line of the cursor after applying the item labelled `label`. */
function apply(f: Fixture, label: string): string {
  const c = cursorOf(f);
  const item = complete(f).find((i) => i.label === label);
  assert.ok(item, `no completion item '${label}'`);
  const after = applyEdits(f.texts.get(c.uri)!, [item.textEdit]);
  return after.split('\n')[c.position.line];
}

const transcript = (body: string): string => `//- /sw01.transcript\n---\nguide: ppp\nrole: swr\n---\n${body}`;

describe('completing codes after #', () => {
  it('ranks codes linked to the current question first, then by use in the study, then by path, deprecated last', () => {
    const f = study(
      transcript('I: @reasons Why the meeting?\nR: Mum kept missing appointments. #$0\n') +
      '//- /sw02.transcript\n---\nguide: ppp\n---\n@benefits #role #role\n\n#role/la-lawyer\n\n#benefit/child\n\n#role/la-lawyer\n',
    );
    assert.deepEqual(list(f), [
      'aim — Aims of the meeting',
      'aim/warning — A warning',
      'role/la-lawyer — The local-authority lawyer',
      'benefit/child — Benefits for the child',
      'role — Roles in the process',
      'benefit — Benefits of the process',
      'benefit/family — Benefits for the family',
      'lawyer-role — Role of the lawyer (deprecated)',
    ]);
  });

  it('links a child code through its parent, and uses the last marker before the cursor', () => {
    const f = study(transcript('I: @reasons Why?\nR: Because.\n\nI: @benefits And the benefits?\nR: Many. #$0\n'));
    assert.deepEqual(list(f).slice(0, 3), [
      'benefit — Benefits of the process',
      'benefit/child — Benefits for the child',
      'benefit/family — Benefits for the family',
    ]);
  });

  it('before any marker, ranks by use and path only', () => {
    const f = study(transcript('R: Hello. #$0\n\n@reasons #aim/warning\n'));
    assert.equal(list(f)[0], 'aim/warning — A warning');
    assert.equal(list(f)[1], 'aim — Aims of the meeting');
  });

  it('offers every code on a lone #, inserting the path after it', () => {
    const f = study(transcript('R: Something. #$0\n'));
    assert.equal(list(f).length, 8);
    assert.equal(apply(f, 'benefit/family'), 'R: Something. #benefit/family');
  });

  it('replaces the whole partly typed path, including what stands right of the cursor', () => {
    const f = study(transcript('R: {Yes}#benefit/fa$0mily, she said.\n'));
    assert.equal(apply(f, 'benefit/child'), 'R: {Yes}#benefit/child, she said.');
  });

  it('replaces the whole path with the cursor at its start, middle or end', () => {
    for (const body of ['#$0benefit/family.', '#bene$0fit/family.', '#benefit/family$0.']) {
      const f = study(transcript(`R: Yes. ${body}\n`));
      assert.equal(apply(f, 'aim'), 'R: Yes. #aim.', body);
    }
  });

  it('keeps a trailing slash being typed inside the replaced token', () => {
    const f = study(transcript('R: Yes. #benefit/$0\n'));
    assert.equal(apply(f, 'benefit/family'), 'R: Yes. #benefit/family');
  });

  it('counts positions in UTF-16 units after non-ASCII text (accents, emoji)', () => {
    const f = study(transcript('R: Zoë 👩‍👧 sagte: „ja“ #ben$0\n'));
    assert.equal(apply(f, 'benefit/family'), 'R: Zoë 👩‍👧 sagte: „ja“ #benefit/family');
  });

  it('gives each code its label as detail and its definition as documentation', () => {
    const f = study(transcript('R: Yes. #$0\n'));
    const item = complete(f).find((i) => i.label === 'benefit')!;
    assert.equal(item.kind, 'code');
    assert.equal(item.detail, 'Benefits of the process');
    assert.equal(item.documentation, [
      'Any advantage the interviewee sees.',
      '**When to use:** The interviewee names a gain.  \n**When not to use:** Benefits of court proceedings.  \n**Example:** “It gave mum a wake-up call.”',
      '**Linked question**:\n- `@benefits` What were the benefits?',
      'Not used in any transcript yet.',
    ].join('\n\n'));
  });

  it('offers nothing where a code cannot start, in a memo, or after an escape', () => {
    for (const body of ['I use C#$0', 'R: Yes. %% see #$0 %%', 'R: Item \\#$0', 'R: a#b$0']) {
      assert.deepEqual(list(study(transcript(`${body}\n`))), [], body);
    }
  });

  it('puts the codes under a typed parent first, those linked to the question and most used first among them', () => {
    // In the answer to @reasons, `aim` and `aim/warning` are linked: they come first on a lone `#`.
    const f = study(transcript('I: @reasons Why?\nR: The lawyer. #role/$0\n'));
    assert.deepEqual(list(f).slice(0, 3), ['role/la-lawyer — The local-authority lawyer', 'aim — Aims of the meeting', 'aim/warning — A warning']);
    assert.equal(apply(f, 'role/la-lawyer'), 'R: The lawyer. #role/la-lawyer');
  });

  it('puts the codes starting with a partly typed segment first, then the rest under its parent', () => {
    const f = study(transcript('I: @reasons Why?\nR: Mum. #benefit/f$0\n'));
    assert.deepEqual(list(f).slice(0, 3), ['benefit/family — Benefits for the family', 'benefit/child — Benefits for the child', 'aim — Aims of the meeting']);
    assert.deepEqual(list(study(transcript('I: @reasons Why?\nR: Mum. #ro$0\n'))).slice(0, 2), ['role — Roles in the process', 'role/la-lawyer — The local-authority lawyer']);
  });

  it('offers codes after an opening bracket and right after a closing brace', () => {
    assert.equal(list(study(transcript('R: (#$0\n'))).length, 8);
    assert.equal(apply(study(transcript('R: {Yes}#$0 ok\n')), 'aim'), 'R: {Yes}#aim ok');
  });
});

describe('completing questions after @', () => {
  it('offers the questions not yet asked first, in guide order, then the asked ones, with their text', () => {
    const f = study(transcript('I: @job-title Your job?\nR: SW.\n\nI: @$0\n\nI: @reasons Why?\n'));
    assert.deepEqual(list(f), [
      'experience — What is your experience of pre-proceedings meetings?',
      'whose-idea — Whose idea was it?',
      'benefits — What were the benefits?',
      'oversight — How do you oversee the process?',
      'job-title — What is your job title?',
      'reasons — What were the reasons for the meeting?',
    ]);
  });

  it('offers first the questions that follow, in the guide, the one asked last before the cursor', () => {
    const f = study(transcript('I: @reasons Why?\nR: Because.\n\nI: @$0\n'));
    assert.deepEqual(list(f).map((s) => s.split(' — ')[0]), ['whose-idea', 'benefits', 'oversight', 'job-title', 'experience', 'reasons']);
    // The marker after the cursor is asked, but says nothing of where the interview stands here.
    const later = study(transcript('I: @job-title Your job?\n\nI: @$0\n\nI: @benefits And?\n'));
    assert.deepEqual(list(later).map((s) => s.split(' — ')[0]), ['experience', 'reasons', 'whose-idea', 'oversight', 'job-title', 'benefits']);
  });

  it('passes over a previous marker that names no question of the guide', () => {
    const f = study(transcript('I: @benefits Good?\n\nI: @nonsense\n\nI: @$0\n'));
    assert.deepEqual(list(f).map((s) => s.split(' — ')[0]), ['oversight', 'job-title', 'experience', 'reasons', 'whose-idea', 'benefits']);
  });

  it('offers retired questions last, tagged, still completing them', () => {
    const f = fixture('//- /g.guide.yaml\nid: g\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: old\n        text: Dropped?\n        retired: true\n      - id: a\n        text: A?\n      - id: b\n        text: B?\n//- /t.transcript\nI: @a\n\nI: @$0\n');
    assert.deepEqual(list(f), ['b — B?', 'a — A?', 'old — Dropped? (deprecated)']);
    assert.equal(apply(f, 'old'), 'I: @old');
  });

  it('does not count the marker being typed as asked', () => {
    const f = study(transcript('I: @reasons$0 Why?\n'));
    assert.equal(list(f)[2], 'reasons — What were the reasons for the meeting?');
  });

  it('replaces the whole ID but not a sentence-final full stop', () => {
    const f = study(transcript('I: We talked about @rea$0son. Then\n'));
    assert.equal(apply(f, 'reasons'), 'I: We talked about @reasons. Then');
  });

  it('documents a question with its section and prompts', () => {
    const item = complete(study(transcript('I: @$0\n'))).find((i) => i.label === 'job-title')!;
    assert.equal(item.kind, 'question');
    assert.match(item.documentation!, /\*\*Section:\*\* Background \(`background`\)/);
    assert.match(item.documentation!, /\*\*Prompts:\*\*\n- How long in post\?/);
  });

  it('offers nothing after an e-mail address or when the transcript has no known guide', () => {
    assert.deepEqual(list(study(transcript('Write to name@$0\n'))), []);
    assert.deepEqual(list(study('//- /sw01.transcript\n---\nguide: nope\n---\nI: @$0\n')), []);
  });
});

describe('completing front matter', () => {
  it('offers the guides with their titles after guide:', () => {
    const f = study('//- /other.guide.yaml\nid: other\ntitle: Parents\nsections: []\n//- /sw01.transcript\n---\nguide: pp$0\n---\n');
    assert.deepEqual(list(f), ['other — Parents', 'ppp — General interviews']);
    assert.equal(apply(f, 'ppp'), 'guide: ppp');
  });

  it('offers the guide\'s roles with their labels after role:', () => {
    const f = study('//- /sw01.transcript\n---\nguide: ppp\nrole: $0\n---\n');
    assert.deepEqual(list(f), ['swr — Social worker', 'tm — Team manager']);
    assert.equal(apply(f, 'tm'), 'role: tm');
  });

  it('offers question IDs for a skipped list, leaving out those already listed, unasked ones first', () => {
    const f = study('//- /sw01.transcript\n---\nguide: ppp\nskipped:\n  - benefits\n  - $0\n---\n@job-title\n');
    assert.deepEqual(list(f).map((s) => s.split(' — ')[0]), ['experience', 'reasons', 'whose-idea', 'oversight', 'job-title']);
    assert.equal(apply(f, 'oversight'), '  - oversight');
  });

  it('offers question IDs for the keys of a skipped map, but not in a reason', () => {
    const f = study('//- /sw01.transcript\n---\nguide: ppp\nskipped:\n  whose-idea: answered earlier\n  ov$0\n---\n');
    assert.equal(apply(f, 'oversight'), '  oversight');
    assert.deepEqual(list(study('//- /sw01.transcript\n---\nguide: ppp\nskipped:\n  whose-idea: answered $0\n---\n')), []);
  });

  it('offers question IDs in a flow list after skipped:', () => {
    const f = study('//- /sw01.transcript\n---\nguide: ppp\nskipped: [benefits, re$0]\n---\n');
    assert.equal(apply(f, 'reasons'), 'skipped: [benefits, reasons]');
  });

  it('offers nothing for other keys', () => {
    assert.deepEqual(list(study('//- /sw01.transcript\n---\nguide: ppp\nsite: $0\n---\n')), []);
  });
});

describe('completing in a codebook', () => {
  const codebook = (yaml: string): Fixture => fixture(
    '//- /ppp.guide.yaml\nid: ppp\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: reasons\n        text: Why?\n      - id: benefits\n        text: What good came of it?\n' +
    '//- /parents.guide.yaml\nid: parents\ntitle: P\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: reasons\n        text: Why, for parents?\n      - id: support\n        text: Who supported you?\n' +
    `//- /c.codebook.yaml\n${yaml}`,
  );

  it('offers the question IDs of every guide, once each, in a flow questions list', () => {
    const f = codebook('codes:\n  - id: a\n    label: A\n    questions: [reasons, $0]\n');
    // Guides in path order: parents.guide.yaml before ppp.guide.yaml.
    assert.deepEqual(list(f), ['reasons — Why, for parents?', 'support — Who supported you?', 'benefits — What good came of it?']);
    assert.equal(apply(f, 'support'), '    questions: [reasons, support]');
  });

  it('offers question IDs in a block questions list', () => {
    const f = codebook('codes:\n  - id: a\n    label: A\n    questions:\n      - reasons\n      - be$0\n');
    assert.equal(apply(f, 'benefits'), '      - benefits');
  });

  it('offers code paths after replacedBy, deprecated ones last', () => {
    const f = codebook('codes:\n  - id: old\n    label: Old\n    deprecated: true\n  - id: new\n    label: New\n    children:\n      - id: part\n        label: Part\n  - id: x\n    label: X\n    replacedBy: new/p$0\n');
    assert.deepEqual(list(f), ['new — New', 'new/part — Part', 'x — X', 'old — Old (deprecated)']);
    assert.equal(apply(f, 'new/part'), '    replacedBy: new/part');
  });

  it('offers nothing elsewhere in a codebook or in a guide', () => {
    assert.deepEqual(list(codebook('codes:\n  - id: a\n    label: $0\n')), []);
    assert.deepEqual(list(fixture('//- /g.guide.yaml\nid: g\ntitle: $0\n')), []);
  });
});

describe('completion on text the study has not seen yet', () => {
  it('reads the context from the text given, not from the model', () => {
    const f = study(transcript('R: Hello.\n'));
    const text = '---\nguide: ppp\nrole: swr\n---\nI: @reasons Why?\nR: Yes #a\n';
    const items = getCompletions(f.study, 'sw01.transcript', text, { line: 5, character: 9 });
    assert.equal(items[0].label, 'aim');
    assert.equal(applyEdits(text, [items[0].textEdit]).split('\n')[5], 'R: Yes #aim');
  });
});

describe('completion reuses the study\'s model only for the text it was parsed from', () => {
  // The study holds a transcript whose cursor line is a memo; the editor's text, of the same
  // length, has the memo's `%%` typed over: a code can now be completed there.
  const inMemo = '---\nguide: ppp\nrole: swr\n---\nI: @reasons Why?\nR: %% see #a %%\n';
  const typedOver = '---\nguide: ppp\nrole: swr\n---\nI: @reasons Why?\nR: ok see #a ok\n';
  const cursor = { line: 5, character: 12 };

  it('parses a text of the same length as the stored one but different', () => {
    assert.equal(typedOver.length, inMemo.length);
    const f = fixture(`${GUIDE}${CODEBOOK}//- /sw01.transcript\n${inMemo}`);
    assert.deepEqual(getCompletions(f.study, 'sw01.transcript', inMemo, cursor), []);
    const items = getCompletions(f.study, 'sw01.transcript', typedOver, cursor);
    assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['aim', 'aim/warning']);
    assert.equal(applyEdits(typedOver, [items[0].textEdit]).split('\n')[5], 'R: ok see #aim ok');
  });

  it('parses a text whose version is not the stored model\'s, and reuses the model of the same version', () => {
    const f = fixture(`${GUIDE}${CODEBOOK}//- /sw01.transcript\n`);
    const s = f.study.withDocument('sw01.transcript', 'sw01.transcript', inMemo, 3);
    assert.equal(s.get('sw01.transcript')!.version, 3);
    assert.deepEqual(getCompletions(s, 'sw01.transcript', typedOver, cursor, 4).slice(0, 1).map((i) => i.label), ['aim']);
    const edited = s.withDocument('sw01.transcript', 'sw01.transcript', typedOver, 4);
    assert.deepEqual(getCompletions(edited, 'sw01.transcript', typedOver, cursor, 4).slice(0, 1).map((i) => i.label), ['aim']);
    assert.deepEqual(getCompletions(s, 'sw01.transcript', inMemo, cursor, 3), []);
  });
});
