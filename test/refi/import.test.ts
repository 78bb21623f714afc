/**
 * REFI-QDA codebook import (`import qdc`): our own exports come back whole;
 * codebooks shaped like those of NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette
 * become valid codebooks, with every change reported. The YAML written is read
 * back by the codebook parser the editor uses, which must find no problem in it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import * as path from 'node:path';
import { parseCodebook } from '../../server/src/core/codebook';
import type { CodeDef } from '../../server/src/core/model';
import { formatDefinition, parseDefinition } from '../../server/src/core/refi/description';
import { exportCodebook, exportProject, hexColor, zipProject } from '../../server/src/core/refi/exportProject';
import { codebookYaml, readRefiCodebook, toCodeId, type ImportedCodebook } from '../../server/src/core/refi/importCodebook';
import { sameNameCodebook } from '../bench/adversarial';
import { exampleStudy, fixtures, loadFolder } from './helpers';

const OPTIONS = { name: 'study', origin: 'Transcript Coder test' };
const enc = new TextEncoder();

function imported(bytes: Uint8Array, name = 'input'): ImportedCodebook {
  const r = readRefiCodebook(bytes, name);
  if (!r.ok) assert.fail(r.error);
  return r.codebook;
}

const foreign = (file: string): ImportedCodebook => imported(new Uint8Array(readFileSync(path.join(fixtures, 'foreign', file))), file);

/** The YAML written for an import, read by the codebook parser: its codes, and any problem it finds. */
function reread(codebook: ImportedCodebook): { codes: CodeDef[]; problems: string[] } {
  const model = parseCodebook(codebookYaml(codebook, 'input.qdc'));
  return { codes: model.codes, problems: model.problems.map((p) => `${p.code}: ${p.message}`) };
}

/** What a code means, as a comparable record. */
function meaning(def: CodeDef): Record<string, unknown> {
  return {
    path: def.path, label: def.label, description: def.description, whenToUse: def.whenToUse, whenNotToUse: def.whenNotToUse,
    example: def.example, questions: def.questions.map((q) => q.value), color: hexColor(def.color), deprecated: def.deprecated,
    replacedBy: def.replacedBy?.value,
  };
}

describe('round trip through our own files', () => {
  for (const [name, folder] of [['the example study', exampleStudy], ['the Unicode fixture study', path.join(fixtures, 'unicode-study')]]) {
    test(`${name}: export qdc then import restores every code path, label and definition field`, () => {
      const { study } = loadFolder(folder);
      const xml = exportCodebook(study, OPTIONS)!;
      const back = reread(imported(enc.encode(xml)));
      assert.deepEqual(back.problems, []);
      const original = [...study.codeIndex().byPath.values()].map((e) => meaning(e.def));
      assert.deepEqual(back.codes.map(meaning), original);
    });
  }

  test('a .qdpx of the whole study gives the same codebook, without the guide codes', () => {
    const loaded = loadFolder(exampleStudy);
    const qdpx = zipProject(exportProject(loaded.study, (u) => loaded.texts.get(u), OPTIONS));
    const fromProject = imported(qdpx, 'study.qdpx');
    const fromCodebook = imported(enc.encode(exportCodebook(loaded.study, OPTIONS)!));
    assert.deepEqual(fromProject.codes, fromCodebook.codes);
    assert.equal(fromProject.kind, 'qdpx');
    assert.ok(fromProject.notes.some((n) => n.startsWith("'Guide: General interviews")), fromProject.notes.join('\n'));
  });

  test('descriptions keep their meaning after another tool re-exports them under its own origin', () => {
    const { study } = loadFolder(exampleStudy);
    const xml = exportCodebook(study, OPTIONS)!.replace('origin="Transcript Coder test"', 'origin="NVivo 14"');
    const back = reread(imported(enc.encode(xml)));
    const benefit = back.codes.find((c) => c.path === 'benefit')!;
    assert.equal(benefit.label, 'Benefits of the pre-proceedings process');
    assert.equal(benefit.whenToUse, 'The interviewee names a gain, even a small or qualified one.');
  });

  test('definition fields with paragraphs of their own survive formatting and parsing', () => {
    const def = {
      label: 'Trust', description: 'First paragraph.\n\nSecond paragraph.', whenToUse: 'Line one\nline two.',
      example: '"Example: quoted"', questions: ['q1', 'Q3.2'], deprecated: true, replacedBy: 'a/b',
    };
    assert.deepEqual(parseDefinition(formatDefinition(def)), def);
  });
});

describe('codebooks written by other tools', () => {
  test('NVivo-like (default namespace, byte-order mark, sets): hierarchy, descriptions and colours kept', () => {
    const cb = foreign('nvivo-like.qdc');
    const { codes, problems } = reread(cb);
    assert.deepEqual(problems, []);
    assert.deepEqual(codes.map((c) => [c.path, c.label, c.color ?? null]), [
      ['Benefits', 'Benefits', '#2A9D8F'],
      ['Benefits/Benefits-for-family', 'Benefits for family', '#264653'],
      ['Benefits/Benefits-for-the-child', 'Benefits for the child', null],
      ['Role-of-LA-lawyer', 'Role of LA lawyer', '#E76F51'],
      ['Role-of-LA-lawyer/Advice-to-social-workers', 'Advice to social workers', null],
    ]);
    assert.equal(codes[0].description, 'Any advantage of the process.\nUse for gains to anyone.');
    assert.ok(cb.notes.includes("'Benefits for family' (under 'Benefits') became 'Benefits-for-family'."), cb.notes.join('\n'));
    assert.ok(cb.notes.some((n) => n.startsWith('1 code set was left out')));
  });

  test('MAXQDA-like (CRLF, character references, umlauts): names become IDs, case and accents kept', () => {
    const { codes, problems } = reread(foreign('maxqda-like.qdc'));
    assert.deepEqual(problems, []);
    assert.deepEqual(codes.map((c) => c.path), ['Gefühle', 'Gefühle/Angst-Sorge', 'Gefühle/Freude', 'Familie-erweitert']);
    assert.equal(codes[1].label, 'Angst & Sorge');
    assert.equal(codes[1].description, 'Fear or worry about the\noutcome.');
    assert.equal(codes[0].description, undefined, 'an empty <Description/> is no description');
  });

  test('ATLAS.ti-like (UTF-16, odd names, duplicates, bad colours): unique valid IDs, each change reported', () => {
    const cb = foreign('atlasti-like.qdc');
    const { codes, problems } = reread(cb);
    assert.deepEqual(problems, []);
    assert.deepEqual(codes.map((c) => [c.path, c.label]), [
      ['Benefits-family', 'Benefits: family'],
      ['Trust', 'Trust'],
      ['Trust-2', 'Trust'],
      ['trust', 'trust'],
      ['code-1', '1'],
      ['code', '?!'],
      ['Happy-moments', '😀 Happy moments'],
      ['LA-parent-lawyer', 'LA/parent lawyer'],
      ['Childrens-views-heard', "Children's views -- heard?"],
      ['Café-talk', 'Café talk'],
    ]);
    assert.equal(codes.find((c) => c.path === 'Café-talk')!.id.normalize('NFC'), codes.find((c) => c.path === 'Café-talk')!.id, 'decomposed accents are composed');
    for (const expected of [
      "'Benefits: family' became 'Benefits-family'.",
      "A second 'Trust' became 'Trust-2': codes under one parent need different IDs.",
      "'1' became 'code-1'.",
      "The colour 'red' of 'Trust' is not #RGB or #RRGGBB and was left out.",
    ]) assert.ok(cb.notes.includes(expected), `${expected}\nin:\n${cb.notes.join('\n')}`);
  });

  test('20,000 codes of one name get the suffixes -2 … -20000, skipping names another code already has', () => {
    const n = 20_000;
    // Codes literally named 'Theme-3' and 'Theme-5' come first, so the suffixes must go around them.
    const xml = sameNameCodebook(n).replace('<Codes>', '<Codes><Code name="Theme-3"/><Code name="Theme-5"/>');
    const cb = imported(enc.encode(xml), 'same.qdc');
    const ids = cb.codes.map((c) => c.id);
    assert.equal(ids.length, n + 2);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids.slice(0, 7), ['Theme-3', 'Theme-5', 'Theme', 'Theme-2', 'Theme-4', 'Theme-6', 'Theme-7']);
    assert.equal(ids[ids.length - 1], `Theme-${n + 2}`);
    assert.ok(cb.codes.every((c) => c.label === 'Theme' || c.label === c.id));
    assert.equal(cb.notes.filter((note) => note.startsWith("A second 'Theme' became")).length, n - 1);
  });

  test('QualCoder-like (no namespace, categories): read as a hierarchy', () => {
    const { codes, problems } = reread(foreign('qualcoder-like.qdc'));
    assert.deepEqual(problems, []);
    assert.deepEqual(codes.map((c) => [c.path, c.color ?? null]), [
      ['Process', null], ['Process/timing', '#F5A9A9'], ['Process/resources', '#58FAF4'], ['children_views', '#81F781'],
    ]);
    assert.equal(codes[0].description, 'Category: how the process works');
  });

  test('unknown elements, prefixes, CDATA and missing attributes are tolerated', () => {
    const cb = foreign('unknown-elements.qdc');
    const { codes, problems } = reread(cb);
    assert.deepEqual(problems, []);
    assert.deepEqual(codes.map((c) => [c.path, c.color ?? null]), [
      ['Outcome', null], ['Outcome/Court', null], ['Outcome/code', null], ['Outcome/No-court', '#3a86ff'],
    ]);
    assert.equal(codes[0].description, 'What happened <afterwards> & why.');
    assert.ok(cb.notes.includes("A code without a name (under 'Outcome') became 'code'."));
  });

  test('a Taguette-like project file (.qde) gives its codebook', () => {
    const cb = foreign('taguette-like.qde');
    assert.equal(cb.kind, 'qde');
    assert.equal(cb.origin, 'Taguette 1.4.1');
    assert.deepEqual(reread(cb).codes.map((c) => [c.path, c.label, c.description ?? null]), [
      ['interesting', 'interesting', 'Anything that stands out'], ['follow-up', 'follow up', null],
    ]);
  });

  test('the YAML says where it came from and nests children in block style', () => {
    const yaml = codebookYaml(foreign('nvivo-like.qdc'), 'nvivo-like.qdc');
    assert.match(yaml, /^# Codebook imported from nvivo-like\.qdc \(written by NVivo 14\.23\.0 \(Windows\)\)/);
    assert.match(yaml, /\n {4}children:\n {6}- id: Benefits-for-family\n {8}label: Benefits for family\n/);
    assert.doesNotMatch(yaml, /\{/);
  });
});

describe('what cannot be imported', () => {
  const fail = (text: string | Uint8Array): string => {
    const r = readRefiCodebook(typeof text === 'string' ? enc.encode(text) : text, 'x.qdc');
    assert.equal(r.ok, false);
    return (r as { error: string }).error;
  };

  test('a file that is not XML', () => assert.match(fail('codes:\n  - id: a\n'), /^x\.qdc is not an XML file \(line 1/));
  test('XML that is not well-formed', () => assert.match(fail('<CodeBook><Codes><Code name="a"></Codes></CodeBook>'), /not well-formed XML/));
  test('XML without codes', () => assert.match(fail('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'), /holds no codes/));
  test('an empty file', () => assert.match(fail(''), /is empty/));
  test('a zip without a project', () => assert.match(fail(zipSync({ 'sources/a.txt': enc.encode('x') })), /is a zip file but holds no project\.qde/));
  test('a damaged zip', () => assert.match(fail(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), /damaged zip/));
});

describe('code IDs from names', () => {
  test('spaces and separators become single hyphens, other characters go, case is kept', () => {
    assert.equal(toCodeId('Benefits for family'), 'Benefits-for-family');
    assert.equal(toCodeId('  Pros & Cons  '), 'Pros-Cons');
    assert.equal(toCodeId('Q1. Background'), 'Q1-Background');
    assert.equal(toCodeId('snake_case stays'), 'snake_case-stays');
    assert.equal(toCodeId('«Ça va?»'), 'Ça-va');
    assert.equal(toCodeId('***'), 'code');
  });
});
