/**
 * Go to definition and find references (SPEC §6). Locations are shown as
 * `path:line:col` (1-based) followed by the text they cover.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getDefinition, getReferences } from '../../../server/src/core/languageService';
import { referenceGroups } from '../../../server/src/core/features/navigation';
import type { Location } from '../../../server/src/core/features/types';
import { LineIndex } from '../../../server/src/core/text';
import { cursorOf, renderLocation, type Fixture } from '../../support/fixture';
import { study } from './base';

function show(f: Fixture, locations: Location[]): string[] {
  return locations.map((l) => {
    const text = f.texts.get(l.uri)!;
    const lines = new LineIndex(text);
    return `${renderLocation(l)} ${text.slice(lines.offsetAt(l.range.start), lines.offsetAt(l.range.end))}`;
  });
}

function definition(f: Fixture): string[] {
  const c = cursorOf(f);
  return show(f, getDefinition(f.study, c.uri, c.position));
}

function references(f: Fixture, includeDeclaration = true): string[] {
  const c = cursorOf(f);
  return show(f, getReferences(f.study, c.uri, c.position, includeDeclaration));
}

describe('go to definition', () => {
  it('goes from a marker to the question in the transcript\'s guide', () => {
    assert.deepEqual(definition(study('//- /sw01.transcript\n---\nguide: ppp\n---\nI: @reas$0ons Why?\n')), ['ppp.guide.yaml:19:13 reasons']);
  });

  it('goes from a code to its first definition, from a child path to the child', () => {
    assert.deepEqual(definition(study('//- /sw01.transcript\nR: {x}#benefit/fam$0ily\n')), ['themes.codebook.yaml:10:13 family']);
    assert.deepEqual(definition(study('//- /sw01.transcript\nR: #aim$0\n//- /z.codebook.yaml\ncodes:\n  - id: aim\n    label: Again\n')), ['themes.codebook.yaml:14:9 aim']);
  });

  it('goes from guide: to the guide, from skipped to the question, and from role: to the role', () => {
    assert.deepEqual(definition(study('//- /sw01.transcript\n---\nguide: p$0pp\n---\n')), ['ppp.guide.yaml:1:5 ppp']);
    assert.deepEqual(definition(study('//- /sw01.transcript\n---\nskipped:\n  - "whose-i$0dea"\n---\n')), ['ppp.guide.yaml:22:17 whose-idea']);
    assert.deepEqual(definition(study('//- /sw01.transcript\n---\nrole: t$0m\n---\n')), ['ppp.guide.yaml:5:3 tm']);
  });

  it('goes from a codebook questions entry to the question in every guide that has it, and from replacedBy to the code', () => {
    const f = study('//- /parents.guide.yaml\nid: parents\ntitle: P\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: reasons\n        text: Why?\n//- /c.codebook.yaml\ncodes:\n  - id: x\n    label: X\n    questions: [reas$0ons]\n');
    assert.deepEqual(definition(f), ['parents.guide.yaml:7:13 reasons', 'ppp.guide.yaml:19:13 reasons']);
    const g = study('//- /c.codebook.yaml\ncodes:\n  - id: x\n    label: X\n    replacedBy: role/la$0-lawyer\n');
    assert.deepEqual(definition(g), ['themes.codebook.yaml:23:13 la-lawyer']);
  });

  it('finds nothing for an unknown code or question', () => {
    assert.deepEqual(definition(study('//- /sw01.transcript\n#nope$0 @nothing\n')), []);
    assert.deepEqual(definition(study('//- /sw01.transcript\n#nope @nothing$0\n')), []);
  });
});

const TWO_GUIDES = '//- /parents.guide.yaml\nid: parents\ntitle: Parents\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: reasons\n        text: Why, for you?\n' +
  '//- /p01.transcript\n---\nguide: parents\n---\n@reasons #aim/warning\n';

describe('find references', () => {
  it('lists every use of a code in every transcript, its replacedBy references, and its definition', () => {
    const f = study(
      '//- /sw01.transcript\nR: {x}#role/la-lawyer #role\n\n#role/la-lawyer$0\n' +
      '//- /sw02.transcript\n#role/la-lawyer.\n%% #role/la-lawyer in a memo is text %%\n' +
      '//- /sw03.transcript\n#lawyer-role\n',
    );
    assert.deepEqual(references(f), [
      'sw01.transcript:1:8 role/la-lawyer',
      'sw01.transcript:3:2 role/la-lawyer',
      'sw02.transcript:1:2 role/la-lawyer',
      'themes.codebook.yaml:23:13 la-lawyer',
      'themes.codebook.yaml:28:17 role/la-lawyer',
    ]);
    assert.deepEqual(references(f, false), [
      'sw01.transcript:1:8 role/la-lawyer',
      'sw01.transcript:3:2 role/la-lawyer',
      'sw02.transcript:1:2 role/la-lawyer',
      'themes.codebook.yaml:28:17 role/la-lawyer',
    ]);
  });

  it('gives the same references from the definition, from a use and from a replacedBy', () => {
    const f = study('//- /sw01.transcript\n#role/la-lawyer\n');
    const cb = f.texts.get('themes.codebook.yaml')!.split('\n');
    const fromDef = getReferences(f.study, 'themes.codebook.yaml', { line: 22, character: cb[22].indexOf('la-lawyer') }, true);
    const fromUse = getReferences(f.study, 'sw01.transcript', { line: 0, character: 3 }, true);
    const fromReplacedBy = getReferences(f.study, 'themes.codebook.yaml', { line: 27, character: 20 }, true);
    assert.deepEqual(fromUse, fromDef);
    assert.deepEqual(fromReplacedBy, fromDef);
  });

  it('does not count a child or parent path as a use of a code', () => {
    const f = study('//- /sw01.transcript\n#benefit$0 #benefit/family\n');
    assert.deepEqual(references(f, false), ['sw01.transcript:1:2 benefit']);
  });

  it('lists a question\'s markers in the transcripts of its guide, skipped entries, codebook links and its definition', () => {
    const f = study(
      '//- /sw01.transcript\n---\nguide: ppp\nskipped: [reasons]\n---\nI: @reasons$0 Why?\n\nI: Again @reasons\n' +
      '//- /sw02.transcript\n---\nguide: ppp\nskipped:\n  reasons: asked later\n---\nI: @benefits\n' +
      TWO_GUIDES,
    );
    assert.deepEqual(references(f), [
      'ppp.guide.yaml:19:13 reasons',
      'sw01.transcript:3:11 reasons',
      'sw01.transcript:5:5 reasons',
      'sw01.transcript:7:11 reasons',
      'sw02.transcript:4:3 reasons',
      'themes.codebook.yaml:16:17 reasons',
    ]);
  });

  it('lists the same from the guide\'s definition, a skipped entry and a codebook entry', () => {
    const f = study('//- /sw01.transcript\n---\nskipped: [reasons]\n---\n@reasons\n');
    const expected = getReferences(f.study, 'ppp.guide.yaml', { line: 18, character: 14 }, true);
    assert.equal(expected.length, 4);
    assert.deepEqual(getReferences(f.study, 'sw01.transcript', { line: 1, character: 12 }, true), expected);
    assert.deepEqual(getReferences(f.study, 'sw01.transcript', { line: 3, character: 1 }, true), expected);
    assert.deepEqual(getReferences(f.study, 'themes.codebook.yaml', { line: 15, character: 18 }, true), expected);
  });

  it('lists every transcript naming a guide from guide:', () => {
    const f = study('//- /sw01.transcript\n---\nguide: ppp$0\n---\n//- /sw02.transcript\n---\nguide: ppp\n---\n');
    assert.deepEqual(references(f), ['ppp.guide.yaml:1:5 ppp', 'sw01.transcript:2:8 ppp', 'sw02.transcript:2:8 ppp']);
  });
});

describe('references by document', () => {
  it('give the same answer one document at a time, and name only the answers on codes', () => {
    const f = study('//- /sw02.transcript\n---\nguide: ppp\n---\nI: @reasons Why?\nR: #benefit and {#benefit/child}#benefit\n' +
      '//- /sw01.transcript\n---\nguide: ppp\n---\nI: @reasons Why?\nR: #bene$0fit\n');
    const c = cursorOf(f);
    const groups = referenceGroups(f.study, c.uri, c.position, true)!;
    assert.equal(groups.key, 'code with definition benefit');
    const list = [...groups.groups];
    assert.deepEqual(list.map((g) => `${g.doc.path} ${g.ranges.length}`), ['sw01.transcript 1', 'sw02.transcript 2', 'themes.codebook.yaml 1']);
    assert.deepEqual(show(f, list.flatMap((g) => g.ranges.map((range) => ({ uri: g.doc.uri, range })))), references(f));
    assert.notEqual(referenceGroups(f.study, c.uri, c.position, false)!.key, groups.key);
    const onQuestion = referenceGroups(f.study, 'sw01.transcript', { line: 3, character: 6 }, true)!;
    assert.equal(onQuestion.key, undefined);
    assert.deepEqual([...onQuestion.groups].map((g) => g.doc.path), ['ppp.guide.yaml', 'sw01.transcript', 'sw02.transcript', 'themes.codebook.yaml']);
  });
});
