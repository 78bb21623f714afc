/**
 * The exports every face writes: `buildExport` on a study host gives the very bytes the CLI prints
 * or writes (so the editor's exports, which call it with the server's host, match the CLI's), from a
 * folder on disk or from memory alike; the codebook import; and writing a file whole or not at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { parseCodebook } from '../../server/src/core/codebook';
import {
  buildCodebookImport, buildExport, fileNameNote, StudyJobError, writeWhole, wroteMessage,
} from '../../server/src/host/exports';
import { unmatchedCase } from '../../server/src/core/coverage';
import { loadStudy } from '../../server/src/host/loadStudy';
import { MemoryStudyHost } from '../../server/src/host/memoryHost';
import type { TableOptions } from '../../server/src/host/tableExports';
import { findStudyFiles, NodeStudyHost } from '../../server/src/host/nodeHost';
import type { ExportKind } from '../../server/src/protocol';
import { deviceNode, makeUnreadable, removeWrittenStudies, writeStudy } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'ppp-study');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

after(removeWrittenStudies);

/** Runs the built CLI (`npm test` builds it first); standard output as bytes. */
function cli(args: string[], cwd = ROOT): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** What the CLI makes for each kind of export: the file it writes, or what it prints. */
function cliBytes(kind: ExportKind, study: string): Buffer {
  const out = writeStudy({});
  const run = (args: string[]): Buffer => {
    const r = cli(args, out);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  switch (kind) {
    case 'refi': run(['export', 'refi', study, '-o', 'x.qdpx']); return readFileSync(path.join(out, 'x.qdpx'));
    case 'qdc': run(['export', 'qdc', study, '-o', 'x.qdc']); return readFileSync(path.join(out, 'x.qdc'));
    case 'coverage-csv': return run(['report', study, '--format', 'csv', '--bom']);
    case 'coverage-md': return run(['report', study, '--format', 'md']);
    case 'segments-csv': return run(['codes', study, '--segments', '--format', 'csv', '--bom']);
    // Without a table named, the export is the table by question.
    case 'matrix-csv': return run(['matrix', study, '--by', 'question', '--format', 'csv', '--bom']);
    case 'matrix-md': return run(['matrix', study, '--by', 'question', '--format', 'md']);
  }
}

const KINDS: ExportKind[] = ['refi', 'qdc', 'coverage-csv', 'coverage-md', 'segments-csv', 'matrix-csv', 'matrix-md'];

/** The example study's files, in memory, under its folder's name. */
function exampleInMemory(): MemoryStudyHost {
  return new MemoryStudyHost(findStudyFiles(EXAMPLE).map((rel): [string, string] => [rel, readFileSync(path.join(EXAMPLE, rel), 'utf8')]), {}, 'ppp-study');
}

describe('buildExport', () => {
  for (const kind of KINDS) {
    it(`gives the CLI's bytes for ${kind}, from a folder on disk and from memory`, () => {
      const expected = cliBytes(kind, EXAMPLE);
      assert.ok(expected.length > 100);
      const fromDisk = buildExport(kind, new NodeStudyHost(EXAMPLE));
      assert.ok(Buffer.from(fromDisk.data).equals(expected), `${kind} from disk differs from the CLI's`);
      assert.ok(Buffer.from(buildExport(kind, exampleInMemory()).data).equals(expected), `${kind} from memory differs from the CLI's`);
    });
  }

  it('gives the CLI\'s bytes for each analysis table with its options, and says what it holds', () => {
    const host = new NodeStudyHost(EXAMPLE);
    const cases: [TableOptions, string[]][] = [
      [{ table: { by: 'transcript', exact: true } }, ['--by', 'transcript', '--exact']],
      [{ table: { by: { key: 'role' }, codes: ['benefit'] } }, ['--by', 'role', '--code', 'benefit']],
      [{ table: { by: 'code' }, filter: new Map([['role', new Set(['swr'])]]) }, ['--by', 'code', '--where', 'role=swr']],
    ];
    for (const [options, args] of cases) {
      for (const [kind, format] of [['matrix-csv', ['--format', 'csv', '--bom']], ['matrix-md', ['--format', 'md']]] as const) {
        const r = cli(['matrix', EXAMPLE, ...args, ...format]);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(Buffer.from(buildExport(kind, host, options).data).equals(r.stdout), `${kind} ${args.join(' ')} differs from the CLI's`);
      }
    }
    assert.match(buildExport('matrix-md', host, { table: { by: { key: 'role' } } }).summary, /^codes by role, \d+ codes × 2 columns$/);
    const missing = buildExport('matrix-csv', host, { table: { by: { key: 'sitee' } } });
    assert.deepEqual(missing.notes, [unmatchedCase(loadStudy(host).study, undefined, 'sitee')[0]]);
    assert.match(missing.notes[0], /sitee/);
  });

  it('records the same origin, with the version of package.json, in projects and codebooks', () => {
    const origin = `origin="Transcript Coder ${VERSION}"`;
    const project = unzipSync(buildExport('refi', new NodeStudyHost(EXAMPLE)).data);
    assert.ok(strFromU8(project['project.qde']).includes(origin));
    assert.ok(strFromU8(buildExport('qdc', exampleInMemory()).data).includes(origin));
  });

  it('says what it made in words that complete "Wrote <file>:"', () => {
    const host = new NodeStudyHost(EXAMPLE);
    assert.equal(wroteMessage('codebook.qdc', buildExport('qdc', host)), 'Wrote codebook.qdc: 53 codes.');
    assert.match(wroteMessage('study.qdpx', buildExport('refi', host)), /^Wrote study\.qdpx: 5 transcripts, 53 codes \(and \d+ codes for the guide\), \d+ codings on \d+ passages, 5 cases, \d+ memos\.$/);
    assert.equal(buildExport('coverage-md', host).summary, 'the coverage of 5 transcripts by 1 guide');
    const lost = new MemoryStudyHost({ 'g.guide.yaml': 'id: g\ntitle: G\nsections: []\n', 'a.transcript': 'I: hello\n', 'b.transcript': '---\nguide: old\n---\nI: hello\n' });
    assert.equal(buildExport('coverage-csv', lost).summary, 'the coverage of 1 transcript by 1 guide, and 1 transcript whose guide was not found');
    assert.match(buildExport('segments-csv', host).summary, /^\d+ coded segments$/);
  });

  it('leaves out a file that cannot be read, and says so in a note', () => {
    const dir = writeStudy(Object.fromEntries(findStudyFiles(EXAMPLE).map((rel) => [rel, readFileSync(path.join(EXAMPLE, rel), 'utf8')])));
    const reason = makeUnreadable(dir, 'zz-late.transcript');
    const out = buildExport('coverage-csv', new NodeStudyHost(dir));
    assert.deepEqual(out.notes, [`zz-late.transcript could not be read (${reason}), so it was left out.`]);
    assert.ok(!Buffer.from(out.data).toString('utf8').includes('zz-late'));
  });

  it('notes that the study has errors, and exports it as it stands', () => {
    const host = new MemoryStudyHost({ 'c.codebook.yaml': 'codes:\n  - id: a\n    label: A\n', 'x.transcript': 'I: {open #a\n' });
    const out = buildExport('qdc', host);
    assert.deepEqual(out.notes, ['the study has 2 errors (see transcript-coder check); it was exported as it stands.']);
  });

  it('refuses, in words, when there is nothing to export', () => {
    const noCodes = new MemoryStudyHost({ 'a.transcript': 'I: hello\n' }, {}, 'interviews');
    assert.throws(() => buildExport('qdc', noCodes), (e: Error) => e instanceof StudyJobError && /^the study in interviews defines no codes/.test(e.message));
    assert.throws(() => buildExport('refi', new MemoryStudyHost({}, {}, 'empty')), (e: Error) => e instanceof StudyJobError && /^no study files in empty/.test(e.message));
  });
});

describe('file names', () => {
  it('note a name without the ending other programs look for', () => {
    assert.equal(fileNameNote('refi', 'study.QDPX'), undefined);
    assert.match(fileNameNote('refi', 'study.zip')!, /does not end in \.qdpx/);
    assert.match(fileNameNote('coverage-csv', 'report.txt')!, /does not end in \.csv/);
    assert.match(fileNameNote('codebook', 'themes.Codebook.yaml')!, /will not read it as a codebook/);
    assert.equal(fileNameNote('codebook', 'themes.codebook.yaml'), undefined);
  });
});

describe('buildCodebookImport', () => {
  it('turns an exported codebook back into one the study reads alike', () => {
    const qdc = buildExport('qdc', new NodeStudyHost(EXAMPLE)).data;
    const out = buildCodebookImport(qdc, 'somewhere/codebook.qdc');
    assert.equal(out.summary, '53 codes (13 top-level codes) from somewhere/codebook.qdc');
    const yaml = Buffer.from(out.data).toString('utf8');
    assert.match(yaml, /^# Codebook imported from codebook\.qdc/);
    assert.deepEqual(parseCodebook(yaml).problems, []);
  });

  it('refuses a file that holds no codebook, naming it', () => {
    assert.throws(() => buildCodebookImport(new TextEncoder().encode('not xml'), 'mine.qdc'), (e: Error) => e instanceof StudyJobError && /mine\.qdc is not an XML file/.test(e.message));
  });
});

describe('writeWhole', () => {
  const data = new TextEncoder().encode('new text\n');

  it('writes a new file and leaves nothing else beside it', () => {
    const dir = writeStudy({});
    writeWhole(path.join(dir, 'out.csv'), data, { overwrite: false });
    assert.equal(readFileSync(path.join(dir, 'out.csv'), 'utf8'), 'new text\n');
    assert.deepEqual(readdirSync(dir), ['out.csv']);
  });

  it('replaces an existing file only when told to', () => {
    const dir = writeStudy({ 'out.csv': 'mine\n' });
    const file = path.join(dir, 'out.csv');
    assert.throws(() => writeWhole(file, data, { overwrite: false }), (e: Error) => e instanceof StudyJobError && /out\.csv already exists and was left as it was/.test(e.message));
    assert.equal(readFileSync(file, 'utf8'), 'mine\n');
    writeWhole(file, data, { overwrite: true });
    assert.equal(readFileSync(file, 'utf8'), 'new text\n');
    assert.deepEqual(readdirSync(dir), ['out.csv']);
  });

  it('refuses a folder, and a folder that does not exist, leaving no file behind', () => {
    const dir = writeStudy({});
    mkdirSync(path.join(dir, 'taken.csv'));
    for (const overwrite of [false, true]) {
      assert.throws(() => writeWhole(path.join(dir, 'taken.csv'), data, { overwrite }), /cannot write .*taken\.csv: it is a folder/);
      assert.throws(() => writeWhole(path.join(dir, 'missing', 'out.csv'), data, { overwrite }), /cannot write .*out\.csv: the folder .*missing does not exist/);
    }
    assert.deepEqual(readdirSync(dir), ['taken.csv']);
    assert.deepEqual(readdirSync(path.join(dir, 'taken.csv')), []);
  });

  it('never writes through a link, even one that leads nowhere, and leaves the link and its target as they were', () => {
    const dir = writeStudy({ 'mine.csv': 'mine\n' });
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.csv'));
    symlinkSync(path.join(dir, 'mine.csv'), path.join(dir, 'to-mine.csv'));
    symlinkSync('/proc/self/fd/1', path.join(dir, 'stdout.csv'));
    for (const name of ['dangling.csv', 'to-mine.csv', 'stdout.csv']) {
      for (const overwrite of [false, true]) {
        assert.throws(() => writeWhole(path.join(dir, name), data, { overwrite }),
          (e: Error) => e instanceof StudyJobError && e.message === `cannot write ${path.join(dir, name)}: it is a link, and files are never written through a link: give the path of the file itself`);
      }
      assert.ok(lstatSync(path.join(dir, name)).isSymbolicLink(), `${name} is still a link`);
    }
    assert.equal(readFileSync(path.join(dir, 'mine.csv'), 'utf8'), 'mine\n');
    assert.ok(!existsSync(path.join(dir, 'nowhere')));
    assert.deepEqual(readdirSync(dir).sort(), ['dangling.csv', 'mine.csv', 'stdout.csv', 'to-mine.csv']);
  });

  it('never replaces a pipe or a device with a file', () => {
    const dir = writeStudy({});
    const fifo = path.join(dir, 'pipe.csv');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const device = deviceNode(dir);
    for (const overwrite of [false, true]) {
      assert.throws(() => writeWhole(fifo, data, { overwrite }), /^Error: cannot write .*pipe\.csv: it is a pipe, not a file, and is left as it is$/);
      assert.throws(() => writeWhole(device, data, { overwrite }), (e: Error) => e instanceof StudyJobError && e.message === `cannot write ${device}: it is a device, not a file, and is left as it is`);
    }
    assert.ok(lstatSync(fifo).isFIFO());
    assert.ok(lstatSync(device).isCharacterDevice());
    assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')), 'no temporary file is left behind');
  });

  it('keeps the permissions of a file it replaces', () => {
    const dir = writeStudy({ 'private.csv': 'mine\n' });
    const file = path.join(dir, 'private.csv');
    chmodSync(file, 0o600);
    writeWhole(file, data, { overwrite: true });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8'), 'new text\n');
  });

  it('removes its temporary file when the data cannot be written', () => {
    // A limit on file size makes the write itself fail, after the temporary file was made.
    const dir = writeStudy({});
    const r = spawnSync('sh', ['-c', `ulimit -f 1 && exec "${process.execPath}" "${CLI}" export refi "${EXAMPLE}" -o study.qdpx`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, 'transcript-coder: cannot write study.qdpx: the file is larger than this system allows\n');
    assert.deepEqual(readdirSync(dir), []);
  });
});
