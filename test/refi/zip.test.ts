/**
 * `.qdpx` files that lie: members that unpack to hundreds of megabytes from one (zip bombs), in the classic
 * and the zip64 layout, and members whose stated size is false. Import reads the one project file it needs,
 * stops as soon as that passes the limit, and says so in words a researcher can act on, without the memory
 * a bomb asks for, in the library and in the command-line tool alike.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync } from 'fflate';
import { MAX_PROJECT_BYTES, readRefiCodebook } from '../../server/src/core/refi/importCodebook';
import { cli } from './helpers';
import { zerosDeflated, zipOf } from './zipBombs';

const MB = 2 ** 20;
const enc = new TextEncoder();
const CODEBOOK = '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes><Code guid="00000000-0000-4000-8000-000000000001" name="Trust" isCodable="true"/></Codes></CodeBook></Project>\n';
const project = enc.encode(CODEBOOK);

/** A member of zeros that unpacks to 1 MB more than the limit: about 1.3 MB in the zip. */
const bomb = zerosDeflated(MAX_PROJECT_BYTES + MB);
const TOO_LARGE = /^bomb\.qdpx was not read: project\.qde would unpack to more than 200 MB, far more than a REFI-QDA project holds\. The file is damaged, or was made to fill the computer's memory \(a "zip bomb"\)\.$/;

function read(zip: Uint8Array): string {
  const r = readRefiCodebook(zip, 'bomb.qdpx');
  return r.ok ? `read ${r.codebook.codes.map((c) => c.id).join(', ')}` : r.error;
}

/** What reading costs in resident memory, in MB (a bomb, unpacked, would cost more than 200). */
function memoryGrowth(f: () => void): number {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 1);
  try { f(); } finally { clearInterval(timer); }
  return (Math.max(peak, process.memoryUsage().rss) - before) / MB;
}

describe('zip bombs and lying sizes', () => {
  test('a member that unpacks past the limit is stopped there, with a message, in a little memory', () => {
    const zip = zipOf([{ name: 'project.qde', data: bomb, size: MAX_PROJECT_BYTES + MB }]);
    assert.ok(zip.length < 2 * MB);
    let message = '';
    const growth = memoryGrowth(() => { message = read(zip); });
    assert.match(message, TOO_LARGE);
    assert.ok(growth < 100, `reading took ${growth.toFixed(0)} MB more memory`);
  });

  test('a member that says it is small but unpacks past the limit is stopped all the same', () => {
    const zip = zipOf([{ name: 'project.qde', data: bomb, size: 1000 }]);
    assert.match(read(zip), TOO_LARGE);
  });

  test('a zip64 member that claims a terabyte is refused before anything is unpacked', () => {
    const zip = zipOf([{ name: 'project.qde', data: bomb, size: 2 ** 40 }], true);
    assert.match(read(zip), TOO_LARGE);
  });

  test('a zip64 member that says it is small but unpacks past the limit is stopped', () => {
    const zip = zipOf([{ name: 'sources/a.txt', data: zerosDeflated(10), size: 10 }, { name: 'project.qde', data: bomb, size: 10 }], true);
    assert.match(read(zip), TOO_LARGE);
  });

  test('a member whose stated size is false is a damaged zip, never read cut short', () => {
    const zip = zipOf([{ name: 'project.qde', data: deflateSync(project), size: 100 }]);
    assert.equal(read(zip), `bomb.qdpx is a damaged zip file (project.qde unpacks to ${project.length} bytes where the zip says 100).`);
  });

  test('honest zips, classic and zip64, stored or deflated, are read; only the project file is unpacked', () => {
    for (const zip64 of [false, true]) {
      // The other member is a bomb: it must not be unpacked, since import needs only the project file.
      const other = { name: 'sources/huge.txt', data: bomb, size: 10 };
      assert.equal(read(zipOf([other, { name: 'project.qde', data: deflateSync(project), size: project.length }], zip64)), 'read Trust');
      assert.equal(read(zipOf([{ name: 'project.qde', data: project, size: project.length, method: 0 }, other], zip64)), 'read Trust');
    }
  });

  test('the command-line tool, with a small memory limit, exits 1 with the message rather than crash', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tc-bomb-'));
    try {
      const file = path.join(dir, 'bomb.qdpx');
      writeFileSync(file, zipOf([{ name: 'project.qde', data: bomb, size: 1000 }]));
      const r = spawnSync(process.execPath, ['--max-old-space-size=256', cli, 'import', 'qdc', 'bomb.qdpx', '-o', 'x.codebook.yaml'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr.replace(/^transcript-coder: /, '').trim().match(TOO_LARGE)?.[0], r.stderr.replace(/^transcript-coder: /, '').trim());
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(path.join(dir, 'x.codebook.yaml')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
