/**
 * Pseudonymisation (SPEC §13): the names list, finding names and identifying details in transcripts,
 * the quick fix, the study-wide replacement and redaction. Diagnostics are shown as a person reads
 * them (`line:col code: message`, 1-based).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codedSegments } from '../../server/src/core/counts';
import { diagnose } from '../../server/src/core/diagnostics';
import { getCodeActions } from '../../server/src/core/languageService';
import { findDetails } from '../../server/src/core/privacy/details';
import { NameMatcher } from '../../server/src/core/privacy/matcher';
import { parseNamesList } from '../../server/src/core/privacy/names';
import { applyReplacements, pseudonymEdits } from '../../server/src/core/privacy/pseudonymise';
import { redactTranscript } from '../../server/src/core/privacy/redact';
import type { PrivacyRules } from '../../server/src/core/privacy/scan';
import { Study } from '../../server/src/core/study';
import { parseTranscript } from '../../server/src/core/transcript';
import { applyWorkspaceEdit, fixture } from '../support/fixture';

const LIST = `Kai Brennan: Sam Jones
Zoë: Ann
Oakfield: Ashby
Mary Ann Smith: Jo Bloggs
Northshire:
`;

function rules(list = LIST): PrivacyRules {
  return { names: new NameMatcher(parseNamesList(list).entries) };
}

/** The privacy diagnostics of one transcript text, as `line:col code: message`. */
function found(text: string, list = LIST): string[] {
  const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text }], list === '' ? undefined : rules(list));
  return diagnose(study, 't.transcript')
    .filter((d) => d.code === 'identifying-name' || d.code === 'identifying-detail')
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message}`);
}

/** The words flagged in `text`, as written (a line break shown as ⏎). */
function words(text: string, list = LIST): string[] {
  const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text }], rules(list));
  const lines = text.split('\n');
  return diagnose(study, 't.transcript').filter((d) => d.code === 'identifying-name' || d.code === 'identifying-detail').map((d) => {
    const { start, end } = d.range;
    return start.line === end.line ? lines[start.line].slice(start.character, end.character) : `${lines[start.line].slice(start.character)}⏎${lines[end.line].slice(0, end.character)}`;
  });
}

describe('the names list', () => {
  it('reads a map of names to pseudonyms, a list of names, and a list of one-entry maps', () => {
    assert.deepEqual(parseNamesList('Kai Brennan: Sam Jones\nNorthshire:\n').entries, [{ name: 'Kai Brennan', pseudonym: 'Sam Jones' }, { name: 'Northshire' }]);
    assert.deepEqual(parseNamesList('- Kai\n- Zoë Brennan\n').entries, [{ name: 'Kai' }, { name: 'Zoë Brennan' }]);
    assert.deepEqual(parseNamesList('- Kai: Finn\n- Oakfield\n').entries, [{ name: 'Kai', pseudonym: 'Finn' }, { name: 'Oakfield' }]);
    assert.deepEqual(parseNamesList('\uFEFF# the key\n').entries, []);
    assert.deepEqual(parseNamesList('').problems, []);
  });

  it('says where a malformed list is wrong without quoting a word of it', () => {
    const secret = ['Kai', 'Brennan', 'Oakfield', 'Secret'];
    const cases = ['Kai Brennan: [Sam\n', '- Kai\n- [Oakfield, Secret]\n', 'Kai: { a: Secret }\n', 'just Secret text', '- Kai\n- 12\n', 'Kai: Finn\n  Oakfield: Secret\n'];
    for (const text of cases) {
      const { problems } = parseNamesList(text);
      assert.ok(problems.length > 0, `no problem for ${JSON.stringify(text)}`);
      for (const p of problems) {
        assert.match(p.message, /names list/);
        for (const w of secret) assert.ok(!p.message.includes(w), `${JSON.stringify(p.message)} quotes '${w}'`);
      }
    }
    assert.deepEqual(parseNamesList('- Kai\n- [Oakfield, Secret]\n').problems.map((p) => p.message), [
      'The names list, line 2: each entry must be a name, or a name and its pseudonym as "Real Name: Pseudonym"; this entry is not checked.',
    ]);
  });
});

describe('identifying-name', () => {
  it('flags each listed name as a whole word, ignoring case and accents, with its pseudonym', () => {
    assert.deepEqual(found('R: Did KAI Brennan call? Zoe and zoë came, and ZOË too. Oakfields is not Oakfield.\n'), [
      "1:8 identifying-name: 'KAI Brennan' is on the names list: replace it with the pseudonym 'Sam Jones'.",
      "1:26 identifying-name: 'Zoe' is on the names list: replace it with the pseudonym 'Ann'.",
      "1:34 identifying-name: 'zoë' is on the names list: replace it with the pseudonym 'Ann'.",
      "1:48 identifying-name: 'ZOË' is on the names list: replace it with the pseudonym 'Ann'.",
      "1:74 identifying-name: 'Oakfield' is on the names list: replace it with the pseudonym 'Ashby'.",
    ]);
  });

  it('finds a name written with combining accents (decomposed text) and before a possessive', () => {
    assert.deepEqual(words('R: Zoe\u0308 said so. Kai’s mum and Brennan\'s dad. Zoë\'s.\n'), ['Zoe\u0308', 'Kai', 'Brennan', 'Zoë']);
  });

  it('flags each part of three letters or more of a multi-word name, mapping it to the matching part of the pseudonym', () => {
    assert.deepEqual(found('R: Kai came, then Brennan. Mary came, Smith too, and Al.\n', 'Kai Brennan: Sam Jones\nAl Mary Smith: Jo Bloggs\n'), [
      "1:4 identifying-name: 'Kai' is part of a name on the names list: replace it with the pseudonym 'Sam'.",
      "1:19 identifying-name: 'Brennan' is part of a name on the names list: replace it with the pseudonym 'Jones'.",
      // The parts do not correspond (three words, two in the pseudonym): the whole pseudonym.
      "1:28 identifying-name: 'Mary' is part of a name on the names list: replace it with the pseudonym 'Jo Bloggs'.",
      "1:39 identifying-name: 'Smith' is part of a name on the names list: replace it with the pseudonym 'Jo Bloggs'.",
    ]);
  });

  it('does not look for the generic word of a place name alone: the Close of Juniper Close, the Primary of Dunmore Primary', () => {
    const list = 'Juniper Close: Elm Row\nDunmore Primary: Hill School\nClose:\n';
    // "Close" on a line of its own is still looked for; in the place names it is not a part of its own.
    assert.deepEqual(words('R: We met at Juniper Close, close to Dunmore Primary; Juniper is primary school age.\n', list),
      ['Juniper Close', 'close', 'Dunmore Primary', 'Juniper']);
    assert.deepEqual(words('R: It was close, and the primary school was the court of last resort.\n', 'Juniper Close: Elm Row\nDunmore Primary: Hill School\nBrindle Court: Ash Court\n'), []);
  });

  it('prefers the whole name where it stands, and never joins words across a line break', () => {
    assert.deepEqual(words('R: Kai Brennan and Kai\nBrennan.\n'), ['Kai Brennan', 'Kai', 'Brennan']);
  });

  it('looks in spans, memos and front-matter values, never in keys, codes or markers', () => {
    const text = '---\nparticipant: Zoë\nkai: yes\nspeakers: [I, Kai]\n---\nI: @kai Tell me.\nR: {Zoë came}#oakfield/zoe %% Oakfield? %% #kai\n';
    assert.deepEqual(words(text, 'Kai: Finn\nZoë: Ann\nOakfield: Ashby\n'), ['Zoë', 'Kai', 'Zoë', 'Oakfield']);
  });

  it('says when there is no pseudonym, or more than one, and never names another listed name', () => {
    const list = 'Kai Smith: Sam Jones\nAnn Smith: Jo Brown\nNorthshire:\n';
    const out = found('R: Smith from Northshire.\n', list);
    assert.deepEqual(out, [
      "1:4 identifying-name: 'Smith' is part of a name on the names list, under more than one pseudonym: replace it by hand.",
      "1:15 identifying-name: 'Northshire' is on the names list, which gives no pseudonym for it: replace it by hand, or add its pseudonym to the list.",
    ]);
    for (const line of out) for (const other of ['Kai', 'Ann']) assert.ok(!line.includes(other));
  });

  it('does not take a word used by a pseudonym for part of a real name, so pseudonyms are never flagged', () => {
    assert.deepEqual(words('R: Ann came with Mary.\n', 'Zoë: Ann\nMary Ann Smith: Jo Bloggs\n'), ['Mary']);
  });

  it('reads names with punctuation and characters that regular expressions treat specially', () => {
    const list = "Marlowe-Fitch: M\nO'Brien: Ob\nSt. Mary's (Annexe): the annexe\n\"a+b*?[x]$\": c\nZhōu Wěi: Li\n";
    assert.deepEqual(words("R: Marlowe-Fitch, O’Brien and St. Mary's (Annexe) met a+b*?[x]$ and zhou wei.\n", list),
      ['Marlowe-Fitch', 'O’Brien', "St. Mary's (Annexe)", 'a+b*?[x]$', 'zhou wei']);
  });

  it('can be turned off like any problem', () => {
    const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text: 'R: Kai.\n' }], rules('Kai: Finn\n'));
    assert.equal(diagnose(study, 't.transcript').filter((d) => d.code === 'identifying-name').length, 1);
    assert.equal(diagnose(study, 't.transcript', { 'identifying-name': 'off' }).filter((d) => d.code === 'identifying-name').length, 0);
  });

  it('offers "Replace with the pseudonym", which changes that word and nothing else', () => {
    const f = fixture('//- /names.private.yaml\nKai Brennan: Sam Jones\nNorthshire:\n//- /t.transcript\nR: {Kai\'s mum}#family rang from Northshire.\n');
    const ds = diagnose(f.study, 't.transcript').filter((d) => d.code === 'identifying-name');
    const actions = getCodeActions(f.study, 't.transcript', f.texts.get('t.transcript')!, ds[0].range, ds);
    assert.deepEqual(actions.map((a) => a.title), ["Replace with the pseudonym 'Sam'"]);
    assert.equal(applyWorkspaceEdit(f.texts, actions[0].edit).get('t.transcript'), 'R: {Sam\'s mum}#family rang from Northshire.\n');
  });

  it('offers no replacement once the text there has changed', () => {
    const f = fixture('//- /names.private.yaml\nKai: Finn\n//- /t.transcript\nR: Kai rang.\n');
    const ds = diagnose(f.study, 't.transcript');
    assert.deepEqual(getCodeActions(f.study, 't.transcript', 'R: Kim rang.\n', ds[0].range, ds, 99), []);
  });
});

describe('identifying-detail', () => {
  const positives: [string, string][] = [
    ['07700 900123', 'phone'], ['+44 7700 900123', 'phone'], ['(020) 7946 0018', 'phone'], ['0161 496 0000', 'phone'],
    ['+1 202 555 0143', 'phone'], ['+33 1 23 45 67 89', 'phone'], ['07700900123', 'phone'], ['+44 (0)20 7946 0018', 'phone'],
    ['SW1A 1AA', 'postcode'], ['M1 1AE', 'postcode'], ['B33 8TH', 'postcode'], ['CR2 6XH', 'postcode'], ['DN55 1PT', 'postcode'], ['EC1A 1BB', 'postcode'],
    ['kai.brennan@example.org', 'email'], ['j_smith+work@mail.example.co.uk', 'email'],
  ];
  for (const [detail, kind] of positives) {
    it(`finds ${detail} as ${kind === 'email' ? 'an e-mail address' : kind === 'phone' ? 'a telephone number' : 'a postcode'} inside a sentence`, () => {
      const text = `R: You can write to ${detail}, any time.`;
      assert.deepEqual(findDetails(text).map((d) => [text.slice(d.start, d.end), d.kind]), [[detail, kind]]);
    });
  }

  const negatives = [
    '10:30', '10.30am', '[00:12:31]', '1998', 'in 2011 we', '2011-05-12', '12/05/2011', '05.12.2011', 'Q3.2', '@q3.2', '#a/b',
    '#benefit/family', 'about 4000 cases', '4,000 cases', 'SW07', 'TM01', 'the 8th of May', 'page 012', 'case 0123', 'ID 12345678',
    'in C#', 'name@', 'a 1:1 meeting', 'aged 0-5', 'at 9.15', 'version 1.2.3',
  ];
  it('takes none of what transcripts are full of for a detail: times, timestamps, years, dates, IDs, codes, counts', () => {
    for (const n of negatives) assert.deepEqual(findDetails(`R: ${n} here.`).map((d) => d.kind), [], n);
  });

  it('is reported on the detail, in the body and in front matter, but not inside a code', () => {
    assert.deepEqual(found('---\ncontact: 0161 496 0000\n---\nR: Mail kai@example.org. #SW1A\n', ''), [
      '2:10 identifying-detail: This looks like a telephone number, which could identify someone: take it out or replace it with a placeholder such as [phone].',
      '4:9 identifying-detail: This looks like an e-mail address, which could identify someone: take it out or replace it with a placeholder such as [email].',
    ]);
  });
});

describe('pseudonymising and redacting a transcript', () => {
  const TEXT = `---
participant: Kai Brennan
site: Oakfield
contact: kai@example.org
---

I: @reasons Why the meeting?
R: {Kai's mum}#family/mum missed every visit in Oakfield. %% Ask Zoë about Northshire. %%
Kai Brennan: {We rang 07700 900123 twice}#process/contact #family
`;
  const segments = (text: string): string[] => {
    const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text }]);
    return codedSegments(study, () => text, {}).map((s) => `${s.code} ${s.excerpt}`);
  };

  it('replaces each listed name that has a pseudonym, leaves the others, and a second run replaces nothing', () => {
    const { edits, left } = pseudonymEdits(TEXT, parseTranscript(TEXT), rules());
    assert.equal(edits.length, 6);
    assert.equal(left, 1); // Northshire has no pseudonym
    const after = applyReplacements(TEXT, edits);
    assert.equal(after, TEXT.replace('participant: Kai Brennan', 'participant: Sam Jones').replace(/Oakfield/g, 'Ashby').replace("{Kai's", "{Sam's")
      .replace('Ask Zoë', 'Ask Ann').replace('Kai Brennan: {', 'Sam Jones: {'));
    assert.equal(pseudonymEdits(after, parseTranscript(after), rules()).edits.length, 0);
  });

  it('keeps every code, span and memo: the same segments, on the same words', () => {
    const after = applyReplacements(TEXT, pseudonymEdits(TEXT, parseTranscript(TEXT), rules()).edits);
    assert.deepEqual(segments(after).map((s) => s.split(' ')[0]), segments(TEXT).map((s) => s.split(' ')[0]));
    assert.deepEqual(parseTranscript(after).problems, parseTranscript(TEXT).problems);
  });

  it('escapes a pseudonym that would read as markup in the interview text', () => {
    const text = 'R: Kai came.\n';
    const after = applyReplacements(text, pseudonymEdits(text, parseTranscript(text), rules('Kai: "#1 {P}"\n')).edits);
    assert.equal(after, 'R: \\#1 \\{P\\} came.\n');
    assert.equal(parseTranscript(after).codes.length, 0);
  });

  it('redacts names to pseudonyms or [name] and details to placeholders, keeping the front matter valid', () => {
    const { text } = redactTranscript(TEXT, parseTranscript(TEXT), rules());
    assert.equal(text, `---
participant: Sam Jones
site: Ashby
contact: '[email]'
---

I: @reasons Why the meeting?
R: {Sam's mum}#family/mum missed every visit in Ashby. %% Ask Ann about [name]. %%
Sam Jones: {We rang [phone] twice}#process/contact #family
`);
    const model = parseTranscript(text);
    assert.deepEqual(model.frontMatter!.attributes.map((a) => [a.key, a.typed]), [['site', 'Ashby'], ['contact', '[email]']]);
    assert.deepEqual(segments(text), [
      "family/mum Sam's mum",
      'process/contact We rang [phone] twice',
      'family We rang [phone] twice',
    ]);
  });

  it('redacts details even without a names list', () => {
    assert.equal(redactTranscript('R: SW1A 1AA, kai@example.org\n', parseTranscript('R: SW1A 1AA, kai@example.org\n'), {}).text, 'R: [postcode], [email]\n');
  });
});
