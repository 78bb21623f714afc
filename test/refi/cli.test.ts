/**
 * `export refi`, `export qdc` and `import qdc` as a researcher runs them: the
 * built CLI in a scratch folder. Bad input is one line on standard error, exit
 * status 1 and no file written; a bad argument is exit status 2.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { parseCodebook } from '../../server/src/core/codebook';
import { exampleStudy, fixtures, run, schemaErrors } from './helpers';

const scratch = mkdtempSync(path.join(tmpdir(), 'tc-refi-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
/** A fresh, empty folder for one test. */
function folder(): string {
  const dir = path.join(scratch, String(++n));
  mkdirSync(dir);
  return dir;
}

const bad = (file: string): string => path.join(fixtures, 'bad', file);

function assertOneLineError(r: { status: number | null; stderr: string; stdout: string }, status: number, pattern: RegExp): void {
  assert.equal(r.status, status, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.equal(r.stdout, '');
}

describe('export', () => {
  test('export refi writes a .qdpx holding project.qde and one plain text per transcript', async () => {
    const dir = folder();
    const r = run(['export', 'refi', exampleStudy, '-o', 'study.qdpx'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Wrote study\.qdpx: 5 transcripts, 53 codes \(and \d+ codes for the guide\), \d+ codings on \d+ passages, 5 cases, \d+ memos\.\n$/);
    const files = unzipSync(new Uint8Array(readFileSync(path.join(dir, 'study.qdpx'))));
    const names = Object.keys(files).sort();
    assert.equal(names[0], 'project.qde');
    assert.equal(names.filter((f) => /^sources\/[0-9a-f-]{36}\.txt$/.test(f)).length, 5);
    assert.deepEqual(await schemaErrors(strFromU8(files['project.qde']), 'Project.xsd'), []);
  });

  test('exporting twice gives byte-identical files', () => {
    const dir = folder();
    assert.equal(run(['export', 'refi', exampleStudy, '-o', 'a.qdpx'], dir).status, 0);
    assert.equal(run(['export', 'refi', exampleStudy, '-o', 'b.qdpx'], dir).status, 0);
    assert.ok(readFileSync(path.join(dir, 'a.qdpx')).equals(readFileSync(path.join(dir, 'b.qdpx'))));
  });

  test('export qdc writes a codebook that Codebook.xsd accepts', async () => {
    const dir = folder();
    const r = run(['export', 'qdc', exampleStudy, '-o', 'codebook.qdc'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Wrote codebook.qdc: 53 codes.\n');
    assert.deepEqual(await schemaErrors(readFileSync(path.join(dir, 'codebook.qdc'), 'utf8'), 'Codebook.xsd'), []);
  });

  test('an existing output file is replaced, and no temporary file is left behind', () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'codebook.qdc'), 'old');
    assert.equal(run(['export', 'qdc', exampleStudy, '-o', 'codebook.qdc'], dir).status, 0);
    assert.match(readFileSync(path.join(dir, 'codebook.qdc'), 'utf8'), /^<\?xml/);
    assert.deepEqual(readdirSync(dir), ['codebook.qdc']);
  });

  test('export qdc of a study without codes is refused and writes nothing', () => {
    const dir = folder();
    const study = path.join(dir, 'study');
    mkdirSync(study);
    writeFileSync(path.join(study, 'a.transcript'), 'I: hello\n');
    assertOneLineError(run(['export', 'qdc', 'study', '-o', 'out.qdc'], dir), 1, /defines no codes/);
    assert.ok(!existsSync(path.join(dir, 'out.qdc')));
  });

  test('a study file named as the output is refused and left as it was', () => {
    const dir = folder();
    const study = path.join(dir, 'study');
    mkdirSync(study);
    for (const f of readdirSync(exampleStudy)) copyFileSync(path.join(exampleStudy, f), path.join(study, f));
    const before = readFileSync(path.join(study, 'themes.codebook.yaml'));
    assertOneLineError(run(['export', 'qdc', 'study', '-o', 'study/themes.codebook.yaml'], dir), 2, /is a file of the study itself/);
    assert.ok(readFileSync(path.join(study, 'themes.codebook.yaml')).equals(before));
  });
});

describe('import', () => {
  test('export qdc then import qdc gives a codebook the study reads as it read its own', () => {
    const dir = folder();
    const study = path.join(dir, 'study');
    mkdirSync(study);
    for (const f of readdirSync(exampleStudy)) if (f !== 'themes.codebook.yaml') copyFileSync(path.join(exampleStudy, f), path.join(study, f));
    assert.equal(run(['export', 'qdc', exampleStudy, '-o', 'codebook.qdc'], dir).status, 0);
    const r = run(['import', 'qdc', 'codebook.qdc', '-o', 'study/imported.codebook.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Wrote study/imported.codebook.yaml: 53 codes (13 top-level codes) from codebook.qdc.\n');
    assert.equal(r.stderr, '', 'nothing to report about our own codebook');
    const original = JSON.parse(run(['codes', exampleStudy, '--format', 'json'], dir).stdout);
    const reimported = JSON.parse(run(['codes', 'study', '--format', 'json'], dir).stdout);
    assert.deepEqual(reimported, original);
    assert.deepEqual(parseCodebook(readFileSync(path.join(study, 'imported.codebook.yaml'), 'utf8')).problems, []);
  });

  test('a foreign codebook is imported with each renamed code reported on standard error', () => {
    const dir = folder();
    const r = run(['import', 'qdc', path.join(fixtures, 'foreign', 'nvivo-like.qdc'), '-o', 'themes.codebook.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^transcript-coder: note: 'Benefits for family' \(under 'Benefits'\) became 'Benefits-for-family'\.$/m);
    assert.match(readFileSync(path.join(dir, 'themes.codebook.yaml'), 'utf8'), /^# Codebook imported from nvivo-like\.qdc/);
  });

  test('a .qdpx is accepted as input and its codebook taken', () => {
    const dir = folder();
    assert.equal(run(['export', 'refi', exampleStudy, '-o', 'study.qdpx'], dir).status, 0);
    const r = run(['import', 'qdc', 'study.qdpx', '-o', 'themes.codebook.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /53 codes/);
  });

  for (const [what, file, pattern] of [
    ['a file that is not XML', bad('not-xml.qdc'), /not-xml\.qdc is not an XML file \(line 1, column 1/],
    ['XML that is not well-formed', bad('broken.qdc'), /broken\.qdc is not well-formed XML/],
    ['XML with no codes in it', bad('no-codes.qdc'), /no-codes\.qdc holds no codes/],
    ['a damaged .qdpx', bad('damaged.qdpx'), /damaged\.qdpx is a damaged zip file/],
    ['a missing input file', 'no-such-file.qdc', /cannot read no-such-file\.qdc: no such file/],
  ] as const) {
    test(`${what}: one error line, exit status 1, nothing written and an existing output left alone`, () => {
      const dir = folder();
      assertOneLineError(run(['import', 'qdc', file, '-o', 'new.codebook.yaml'], dir), 1, pattern);
      writeFileSync(path.join(dir, 'old.codebook.yaml'), 'codes: []\n');
      assert.equal(run(['import', 'qdc', file, '-o', 'old.codebook.yaml'], dir).status, 1);
      assert.deepEqual(readdirSync(dir), ['old.codebook.yaml']);
      assert.equal(readFileSync(path.join(dir, 'old.codebook.yaml'), 'utf8'), 'codes: []\n');
    });
  }

  test('an unwritable destination: exit status 1 and no file anywhere', () => {
    const dir = folder();
    const qdc = path.join(fixtures, 'foreign', 'qualcoder-like.qdc');
    assertOneLineError(run(['import', 'qdc', qdc, '-o', 'missing-folder/themes.codebook.yaml'], dir), 1, /cannot write missing-folder\/themes\.codebook\.yaml: the folder missing-folder does not exist/);
    mkdirSync(path.join(dir, 'taken.codebook.yaml'));
    assertOneLineError(run(['import', 'qdc', qdc, '-o', 'taken.codebook.yaml'], dir), 1, /cannot write taken\.codebook\.yaml: it is a folder/);
    assertOneLineError(run(['export', 'refi', exampleStudy, '-o', 'missing-folder/study.qdpx'], dir), 1, /cannot write/);
    assert.deepEqual(readdirSync(dir), ['taken.codebook.yaml']);
    assert.deepEqual(readdirSync(path.join(dir, 'taken.codebook.yaml')), []);
  });

  test('an existing codebook is not replaced by an import unless --force is given', () => {
    const dir = folder();
    const qdc = path.join(fixtures, 'foreign', 'qualcoder-like.qdc');
    writeFileSync(path.join(dir, 'themes.codebook.yaml'), '# my own edits\ncodes: []\n');
    assertOneLineError(run(['import', 'qdc', qdc, '-o', 'themes.codebook.yaml'], dir), 1, /themes\.codebook\.yaml already exists.*--force/);
    assert.equal(readFileSync(path.join(dir, 'themes.codebook.yaml'), 'utf8'), '# my own edits\ncodes: []\n');
    assert.equal(run(['import', 'qdc', qdc, '-o', 'themes.codebook.yaml', '--force'], dir).status, 0);
    assert.match(readFileSync(path.join(dir, 'themes.codebook.yaml'), 'utf8'), /^codes:/m);
  });

  test('the input file is never overwritten', () => {
    const dir = folder();
    const qdc = path.join(dir, 'codebook.qdc');
    copyFileSync(path.join(fixtures, 'foreign', 'qualcoder-like.qdc'), qdc);
    const before = readFileSync(qdc);
    assertOneLineError(run(['import', 'qdc', 'codebook.qdc', '-o', './codebook.qdc'], dir), 2, /is the file being imported/);
    assert.ok(readFileSync(qdc).equals(before));
  });
});

describe('bad arguments: exit status 2', () => {
  for (const [args, pattern] of [
    [['export', 'pdf', '-o', 'x.pdf'], /unknown export format 'pdf'/],
    [['export'], /export needs a format/],
    [['export', 'refi', exampleStudy], /export refi needs an output file: add -o study\.qdpx/],
    [['export', 'qdc', exampleStudy, '-o', '-'], /writes a file, not standard output/],
    [['export', 'refi', 'a', 'b', '-o', 'x.qdpx'], /takes one folder/],
    [['export', 'refi', 'no-such-folder', '-o', 'x.qdpx'], /no such folder: no-such-folder/],
    [['export', 'refi', exampleStudy, '-o', 'x.qdpx', '--bom'], /^transcript-coder: export does not take the option --bom/],
    [['import', 'qdc', '-o', 'x.codebook.yaml'], /import qdc needs the file to read/],
    [['import', 'csv', 'a.csv', '-o', 'x.codebook.yaml'], /unknown import format 'csv'/],
    [['import', 'qdc', 'a.qdc', 'b.qdc', '-o', 'x.codebook.yaml'], /reads one file/],
    [['import', 'qdc', 'a.qdc'], /import qdc needs an output file/],
  ] as const) {
    test(`${args.join(' ')}`, () => {
      const dir = folder();
      assertOneLineError(run([...args], dir), 2, pattern);
      assert.deepEqual(readdirSync(dir), []);
    });
  }
});
