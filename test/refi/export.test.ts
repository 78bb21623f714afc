/**
 * REFI-QDA export (`export refi`, `export qdc`): the files validate against the
 * REFI-QDA schemas with libxml2, the plain texts carry no markup, selections sit
 * on the right text when counted in code points, and the same study always
 * gives the same bytes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { codedSegments } from '../../server/src/core/counts';
import { exportCodebook, exportProject, zipProject, type RefiProject } from '../../server/src/core/refi/exportProject';
import { sha1, stableGuid } from '../../server/src/core/refi/guid';
import { plainTextOf } from '../../server/src/core/refi/plainText';
import { parseTranscript } from '../../server/src/core/transcript';
import { Study } from '../../server/src/core/study';
import {
  asExcerpt, at, codesByPath, exampleStudy, fixtures, loadFolder, nodes, parseXml, schemaErrors, sliceCodePoints, textOf,
  type LoadedFolder, type Node,
} from './helpers';

const OPTIONS = { name: 'study', origin: 'Transcript Coder test' };
const unicodeStudy = path.join(fixtures, 'unicode-study');

function exportFolder(loaded: LoadedFolder): RefiProject {
  return exportProject(loaded.study, (uri) => loaded.texts.get(uri), OPTIONS);
}

interface Read {
  project: Node;
  codes: Map<string, Node>;
  /** Code GUID → path. */
  pathOf: Map<string, string>;
  sources: Node[];
  texts: Map<string, string>;
  notes: Map<string, string>;
}

/** Unzips a .qdpx and reads it back: what another program would see. */
function readQdpx(bytes: Uint8Array): Read {
  const files = unzipSync(bytes);
  const project = parseXml(strFromU8(files['project.qde'])).Project as Node;
  const codes = codesByPath(project.CodeBook as Node);
  const pathOf = new Map([...codes].map(([p, c]) => [at(c, 'guid'), p]));
  const sources = nodes((project.Sources as Node).TextSource);
  const texts = new Map<string, string>();
  for (const s of sources) {
    const file = at(s, 'plainTextPath').replace('internal://', 'sources/');
    assert.ok(files[file], `the zip holds ${file}`);
    texts.set(at(s, 'guid'), strFromU8(files[file]));
  }
  const notes = new Map(nodes((project.Notes as Node | undefined)?.Note).map((n) => [at(n, 'guid'), textOf(n.PlainTextContent)]));
  return { project, codes, pathOf, sources, texts, notes };
}

/** Each selection of a source as its text (sliced by code points) and the code paths it is coded with. */
function selections(r: Read, sourceName: string): { text: string; codes: string[]; notes: string[]; start: number; end: number }[] {
  const source = r.sources.find((s) => at(s, 'name') === sourceName);
  assert.ok(source, `a source named ${sourceName}`);
  const plain = r.texts.get(at(source, 'guid'))!;
  return nodes(source.PlainTextSelection).map((sel) => {
    const start = Number(at(sel, 'startPosition'));
    const end = Number(at(sel, 'endPosition'));
    return {
      text: sliceCodePoints(plain, start, end), start, end,
      codes: nodes(sel.Coding).map((c) => r.pathOf.get(at(c.CodeRef as Node, 'targetGUID'))!),
      notes: nodes(sel.NoteRef).map((n) => r.notes.get(at(n, 'targetGUID'))!),
    };
  });
}

describe('the project file', () => {
  test('the example study exports a project that Project.xsd accepts', async () => {
    const project = exportFolder(loadFolder(exampleStudy));
    assert.deepEqual(await schemaErrors(project.xml, 'Project.xsd'), []);
    assert.equal(project.counts.transcripts, 5);
  });

  test('a study with emoji, accents, CRLF lines, escapes and nested spans exports a valid project', async () => {
    const project = exportFolder(loadFolder(unicodeStudy));
    assert.deepEqual(await schemaErrors(project.xml, 'Project.xsd'), []);
  });

  test('the validator used here does reject a project that breaks the schema', async () => {
    const project = exportFolder(loadFolder(unicodeStudy));
    const broken = project.xml.replace(/startPosition="(\d+)"/, 'startPosition="x$1"');
    assert.notDeepEqual(await schemaErrors(broken, 'Project.xsd'), []);
  });

  test('quotes, ampersands, angle brackets and control characters in study text do not break the XML', async () => {
    const transcript = [
      '---', 'participant: \'Ann "Nan" <Smith> & co\'', 'notes: "tab\\there, vertical\\vtab, line\\nbreak"', '---', '',
      'R: {A & B <c>\u000c "d"}#x %% memo with \u0001 and <tags> & "quotes" %%',
    ].join('\n');
    const study = Study.fromFiles([
      { uri: 't.transcript', path: 't.transcript', text: transcript },
      { uri: 'c.codebook.yaml', path: 'c.codebook.yaml', text: 'codes:\n  - id: x\n    label: "A <b> & \\"c\\""\n' },
    ]);
    const project = exportProject(study, () => transcript, OPTIONS);
    assert.deepEqual(await schemaErrors(project.xml, 'Project.xsd'), []);
    const read = readQdpx(zipProject(project));
    assert.equal(at(nodes((read.project.Cases as Node).Case)[0], 'name'), 'Ann "Nan" <Smith> & co');
    assert.equal(selections(read, 't')[0].text, 'A & B <c>\u000c "d"', 'the plain text file keeps every character');
    // A character XML cannot hold (U+0001) becomes a space; the memo's paragraph is coded nowhere as a whole, so the note hangs on the source.
    assert.deepEqual([...read.notes.values()], ['memo with   and <tags> & "quotes"']);
    assert.deepEqual(nodes(read.sources[0].NoteRef).map((n) => at(n, 'targetGUID')), [...read.notes.keys()]);
  });

  test('every GUID is given once and every reference points at an element that exists', () => {
    for (const folder of [exampleStudy, unicodeStudy]) {
      const { xml } = exportFolder(loadFolder(folder));
      const guids = [...xml.matchAll(/ guid="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(guids).size, guids.length, 'no GUID repeats');
      const targets = [...xml.matchAll(/(?:targetGUID|creatingUser|creatingUserGUID)="([^"]+)"/g)].map((m) => m[1]);
      for (const t of targets) assert.ok(guids.includes(t), `${t} names an element`);
    }
  });
});

describe('the plain texts', () => {
  const loaded = loadFolder(unicodeStudy);
  const r = readQdpx(zipProject(exportFolder(loaded)));

  test('hold the interview text without front matter and without any markup', () => {
    for (const written of r.texts.values()) {
      // `\{really\} \#none` and `\@duty` are escaped in the transcripts: literal text, which stays.
      const text = written.replace('None {really} #none', 'None really none').replace('@duty', 'duty');
      assert.doesNotMatch(text, /^---|guide:|participant:/m);
      assert.doesNotMatch(text, /[{}]|%%|\\|@\w|#[\p{L}]/u);
      assert.doesNotMatch(text, / {2}/, 'no double spaces where markup was');
      assert.doesNotMatch(text, /\n\n\n/, 'no pile of blank lines where memos were');
    }
    const p01 = r.texts.get(at(r.sources.find((s) => at(s, 'name') === 'p01')!, 'guid'))!;
    assert.equal(p01.split('\n')[0], 'I: Tell me about yourself.');
    assert.match(p01, /R: None \{really\} #none and nested inner 🎉 part outer\./);
  });

  test('use \\n line breaks even when the transcript has CRLF', () => {
    const p02 = r.texts.get(at(r.sources.find((s) => at(s, 'name') === 'p02')!, 'guid'))!;
    assert.doesNotMatch(p02, /\r/);
    assert.equal(p02, 'I: Hello, who are you?\nR: A social worker, ✨ twenty years.\nLong pause, "then" more\n\nI: What help did you get?\nR: Mostly the @duty team\n');
  });

  test('every coded segment is a selection whose code-point slice reads as the segment\'s excerpt', () => {
    const rows = codedSegments(loaded.study, (uri) => loaded.texts.get(uri));
    assert.ok(rows.length >= 10);
    for (const row of rows) {
      const name = path.basename(row.file, '.transcript');
      const found = selections(r, name).filter((s) => s.codes.includes(row.code) || s.codes.includes(`Not in codebook/${row.code}`));
      assert.ok(found.some((s) => asExcerpt(s.text) === row.excerpt), `${row.code} in ${name}: "${row.excerpt}" among ${JSON.stringify(found.map((s) => s.text))}`);
    }
  });

  test('positions count code points: a selection after emoji is not shifted', () => {
    const sel = selections(r, 'p01').find((s) => s.codes.includes('support/informal'))!;
    assert.equal(sel.text, 'Mum 👩‍👧 helped every day');
    // The same positions read as UTF-16 units would land elsewhere: the emoji before it take two units each.
    const plain = r.texts.get(at(r.sources.find((s) => at(s, 'name') === 'p01')!, 'guid'))!;
    assert.notEqual(plain.slice(sel.start, sel.end), sel.text);
  });

  test('a span closed by two codes is one selection with two codings', () => {
    const sel = selections(r, 'p02').find((s) => s.text === 'Mostly the @duty team')!;
    assert.deepEqual(sel.codes.filter((c) => !c.startsWith('Guide')).sort(), ['support', 'support/formal']);
  });

  test('the plain-text map trims a segment that starts on a memo line to the text after it', () => {
    const text = 'Intro line\n\n%% note %%\nanswer text #c\n';
    const model = parseTranscript(text);
    const plain = plainTextOf(text, model);
    assert.equal(plain.text, 'Intro line\n\nanswer text\n');
    const seg = model.codes[0];
    assert.equal(text.slice(seg.segStart, seg.segStart + 2), '%%', 'the paragraph starts with the memo');
    const range = plain.range(seg.segStart, seg.segEnd);
    assert.equal(plain.text.slice(range.start, range.end), 'answer text');
  });
});

describe('guide, cases and memos', () => {
  const r = readQdpx(zipProject(exportFolder(loadFolder(unicodeStudy))));
  const guide = 'Guide: Family support interviews';

  test('the guide becomes a code with a code per section and question, follow-ups under their question', () => {
    const paths = [...r.codes.keys()].filter((p) => p.startsWith(guide)).map((p) => p.slice(guide.length));
    assert.deepEqual(paths, ['', '/Opening', '/Opening/intro', '/Opening/family', '/Opening/family/siblings', '/Support & help', '/Support & help/help']);
    assert.equal(textOf(r.codes.get(`${guide}/Support & help/help`)!.Description), 'What help did you get?\n\nPrompts:\n- From whom?\n- How often?');
  });

  test('each answer region is coded with its question, from the question to the next one', () => {
    const byQuestion = (q: string): string[] => selections(r, 'p01').filter((s) => s.codes.some((c) => c.startsWith(guide) && c.endsWith(`/${q}`))).map((s) => s.text);
    assert.deepEqual(byQuestion('intro'), ['I: Tell me about yourself.\nR: I\'m Zoë 🌈 from Kraków. Mum 👩‍👧 helped every day – and the café owner too.']);
    assert.deepEqual(byQuestion('family'), ['I: Who is in your family?\nR: Three of us: me, 🐶 and Łukasz']);
    assert.equal(byQuestion('siblings').length, 1);
    assert.match(byQuestion('siblings')[0], /^I: Brothers\?\nR: None .*\nR: a code not in the codebook$/s);
  });

  test('questions asked in one paragraph share one answer region, coded with each of them', async () => {
    const files = [
      { uri: 'g.guide.yaml', path: 'g.guide.yaml', text: 'id: g\ntitle: Shared\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: fairness\n        text: Fair?\n      - id: privacy\n        text: Private?\n      - id: cost\n        text: Cost?\n' },
      { uri: 't.transcript', path: 't.transcript', text: '---\nguide: g\n---\nI: @fairness Is it fair? And @privacy is it private?\nR: Both matter.\n\nI: @cost And the cost?\nR: A morning.\n' },
    ];
    const study = Study.fromFiles(files);
    const project = exportProject(study, (uri) => files.find((f) => f.uri === uri)!.text, OPTIONS);
    assert.deepEqual(await schemaErrors(project.xml, 'Project.xsd'), []);
    const read = readQdpx(zipProject(project));
    const coded = selections(read, 't').map((s) => ({ text: s.text, codes: s.codes.map((c) => c.slice(c.lastIndexOf('/') + 1)).sort() }));
    assert.deepEqual(coded, [
      { text: 'I: Is it fair? And is it private?\nR: Both matter.', codes: ['fairness', 'privacy'] },
      { text: 'I: And the cost?\nR: A morning.', codes: ['cost'] },
    ]);
  });

  test('codes used but not in the codebook go under "Not in codebook", one code per path segment', () => {
    assert.deepEqual([...r.codes.keys()].filter((p) => p.startsWith('Not in codebook')), ['Not in codebook', 'Not in codebook/made-up', 'Not in codebook/made-up/thing']);
    assert.equal(at(r.codes.get('Not in codebook')!, 'isCodable'), 'false');
    assert.equal(at(r.codes.get('Not in codebook/made-up')!, 'isCodable'), 'true', '#made-up is used on its own too');
  });

  test('participants are cases with their role and case attributes, linked to every transcript of theirs', () => {
    const variables = nodes((r.project.Variables as Node).Variable);
    assert.deepEqual(variables.map((v) => [at(v, 'name'), at(v, 'typeOfVariable')]), [['role', 'Text'], ['site', 'Text'], ['interviewer', 'Text']]);
    const nameOf = new Map(variables.map((v) => [at(v, 'guid'), at(v, 'name')]));
    const sourceName = new Map(r.sources.map((s) => [at(s, 'guid'), at(s, 'name')]));
    const cases = nodes((r.project.Cases as Node).Case).map((c) => ({
      name: at(c, 'name'),
      values: Object.fromEntries(nodes(c.VariableValue).map((v) => [nameOf.get(at(v.VariableRef as Node, 'targetGUID')), textOf(v.TextValue)])),
      sources: nodes(c.SourceRef).map((s) => sourceName.get(at(s, 'targetGUID'))),
    }));
    assert.deepEqual(cases, [
      { name: 'Zoë 🌈', values: { role: 'parent', site: 'Kraków', interviewer: 'Renée, Ann' }, sources: ['p01', 'p01b'] },
      { name: 'P02', values: { role: 'swr', site: 'Łódź' }, sources: ['p02'] },
    ]);
  });

  test('variables are typed from every transcript\'s value, each value in its type\'s element, and the project validates', async () => {
    const t = (name: string, fm: string): { uri: string; path: string; text: string } =>
      ({ uri: `${name}.transcript`, path: `${name}.transcript`, text: `---\nparticipant: ${name}\nrole: '1'\n${fm}---\nR: Hello.\n` });
    const files = [
      t('A', 'years: 6\nscore: 2.5\nconsent: true\ndate: 2011-05-12\ncoders: [PO, AM]\nmixed: 3\nbig: 1e3\nhex: 0x10\nwhen: 2011-02-30\n'),
      t('B', 'years: -12\nscore: 4\nconsent: false\ndate: 2010-11-03\ncoders: [PO]\nmixed: three\nbig: 2\nhex: 3\nwhen: 2011-02-28\n'),
      t('C', 'site: Borough A\n'),
    ];
    const project = exportProject(Study.fromFiles(files), (uri) => files.find((f) => f.uri === uri)!.text, OPTIONS);
    assert.deepEqual(await schemaErrors(project.xml, 'Project.xsd'), []);
    const read = parseXml(project.xml).Project as Node;
    const variables = nodes((read.Variables as Node).Variable);
    assert.deepEqual(Object.fromEntries(variables.map((v) => [at(v, 'name'), at(v, 'typeOfVariable')])), {
      role: 'Text', years: 'Integer', score: 'Float', consent: 'Boolean', date: 'Date', coders: 'Text', mixed: 'Text', big: 'Integer',
      hex: 'Text', when: 'Text', site: 'Text',
    });
    const nameOf = new Map(variables.map((v) => [at(v, 'guid'), at(v, 'name')]));
    const valuesOf = (name: string): Record<string, string> => {
      const c = nodes((read.Cases as Node).Case).find((x) => at(x, 'name') === name)!;
      return Object.fromEntries(nodes(c.VariableValue).map((v) => {
        const [element, value] = Object.entries(v).find(([k]) => k.endsWith('Value'))!;
        return [nameOf.get(at(v.VariableRef as Node, 'targetGUID')), `${element} ${textOf(value)}`];
      }));
    };
    assert.deepEqual(valuesOf('A'), {
      role: 'TextValue 1', years: 'IntegerValue 6', score: 'FloatValue 2.5', consent: 'BooleanValue true', date: 'DateValue 2011-05-12',
      coders: 'TextValue PO; AM', mixed: 'TextValue 3', big: 'IntegerValue 1000', hex: 'TextValue 0x10', when: 'TextValue 2011-02-30',
    });
    assert.deepEqual(valuesOf('B').years, 'IntegerValue -12');
    assert.deepEqual(valuesOf('B').score, 'FloatValue 4');
    assert.deepEqual(valuesOf('C'), { role: 'TextValue 1', site: 'TextValue Borough A' });
  });

  test('a participant whose transcripts disagree on an attribute keeps the first value, and the export says so', () => {
    const project = exportFolder(loadFolder(unicodeStudy));
    assert.ok(project.notes.some((n) => n.includes("'site' differs") && n.includes('Kraków') && n.includes('Warszawa')), project.notes.join('\n'));
  });

  test('memos are notes referenced from the selection that holds them', () => {
    const withNotes = selections(r, 'p01').filter((s) => s.notes.length > 0);
    const twoLines = withNotes.find((s) => s.notes.includes('A memo\nover two lines'))!;
    assert.deepEqual(twoLines.codes, ['support/formal'], 'the paragraph coded around the memo, the smallest selection holding it');
    const cafe = withNotes.find((s) => s.notes.includes('check the café 😀'))!;
    assert.match(cafe.text, /the café owner too\.$/);
    assert.equal(r.notes.size, 2);
  });
});

describe('the codebook file', () => {
  test('the example codebook exports a .qdc that Codebook.xsd accepts, without guide codes', async () => {
    const { study } = loadFolder(exampleStudy);
    const xml = exportCodebook(study, OPTIONS)!;
    assert.deepEqual(await schemaErrors(xml, 'Codebook.xsd'), []);
    const paths = [...codesByPath(parseXml(xml).CodeBook as Node).keys()];
    assert.deepEqual(paths, [...study.codeIndex().byPath.keys()]);
    assert.ok(!paths.some((p) => p.startsWith('Guide') || p.startsWith('Not in codebook')));
  });

  test('colours are #RRGGBB, with #RGB expanded, and each code is codable', async () => {
    const xml = exportCodebook(loadFolder(unicodeStudy).study, OPTIONS)!;
    assert.deepEqual(await schemaErrors(xml, 'Codebook.xsd'), []);
    const codes = codesByPath(parseXml(xml).CodeBook as Node);
    assert.equal(at(codes.get('support')!, 'color'), '#aabbcc');
    assert.equal(at(codes.get('support/informal')!, 'color'), '#A1B2C3');
    assert.ok([...codes.values()].every((c) => at(c, 'isCodable') === 'true'));
  });

  test('a code\'s description starts with its label, then its definition fields by name', () => {
    const xml = exportCodebook(loadFolder(unicodeStudy).study, OPTIONS)!;
    const codes = codesByPath(parseXml(xml).CodeBook as Node);
    assert.equal(textOf(codes.get('support')!.Description), [
      'Support received',
      'Description: Any help the family received.',
      'Includes informal help from neighbours.',
      'When to use: Help is named.',
      'When not to use: Help that was offered but refused.',
      'Example: She came every Tuesday, "no matter what".',
      'Linked questions: help, family',
    ].join('\n\n'));
    assert.equal(textOf(codes.get('old-support')!.Description), 'Support (old code)\n\nDeprecated: yes\n\nReplaced by: support/formal');
  });

  test('a study without codes has no codebook to export', () => {
    const study = Study.fromFiles([{ uri: 't.transcript', path: 't.transcript', text: 'I: hello\n' }]);
    assert.equal(exportCodebook(study, OPTIONS), undefined);
  });
});

describe('stable output', () => {
  test('exporting the same study twice gives byte-identical .qdpx files', () => {
    const a = zipProject(exportFolder(loadFolder(exampleStudy)));
    const b = zipProject(exportFolder(loadFolder(exampleStudy)));
    assert.ok(Buffer.from(a).equals(Buffer.from(b)));
  });

  test('GUIDs do not depend on the order in which files were read', () => {
    const loaded = loadFolder(unicodeStudy);
    const reversed = Study.fromFiles([...loaded.texts].reverse().map(([rel, text]) => ({ uri: rel, path: rel, text })));
    assert.equal(exportProject(reversed, (u) => loaded.texts.get(u), OPTIONS).xml, exportFolder(loaded).xml);
  });

  test('a code keeps its GUID between the .qdc and the .qdpx', () => {
    const loaded = loadFolder(exampleStudy);
    const inQdc = codesByPath(parseXml(exportCodebook(loaded.study, OPTIONS)!).CodeBook as Node);
    const inQdpx = readQdpx(zipProject(exportFolder(loaded))).codes;
    for (const [p, c] of inQdc) assert.equal(at(inQdpx.get(p)!, 'guid'), at(c, 'guid'), p);
  });

  test('the hash behind the GUIDs is SHA-1', () => {
    for (const s of ['', 'abc', 'a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'Zoë 🌈 / benefit/family'.repeat(9)]) {
      const bytes = new TextEncoder().encode(s);
      assert.equal(Buffer.from(sha1(bytes)).toString('hex'), createHash('sha1').update(bytes).digest('hex'), `length ${bytes.length}`);
    }
  });

  test('GUIDs are version-5 UUIDs, different for different names', () => {
    const a = stableGuid('code\u0000benefit');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, stableGuid('code\u0000benefit/family'));
    assert.equal(a, stableGuid('code\u0000benefit'));
  });
});
