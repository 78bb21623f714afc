/**
 * The segments CSV read by R itself (`read.csv`), the program many of our users
 * analyse in. Needs `Rscript` (Debian's r-base-core), so it runs with the client
 * tests (`npm run test:r`, part of `npm run test:clients`), not in `npm test`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exampleStudy, run } from '../refi/helpers';

function out(args: string[]): string {
  const r = run(args);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

interface SegmentJson {
  excerpt: string;
}

describe('CSV in R', () => {
  test('R\'s read.csv reads the segments as the JSON has them', () => {
    const version = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'Rscript is needed for this test: apt-get install r-base-core');
    const dir = mkdtempSync(path.join(tmpdir(), 'tc-csv-'));
    try {
      const csv = path.join(dir, 'segments.csv');
      writeFileSync(csv, out(['codes', exampleStudy, '--segments', '--format', 'csv', '--bom']));
      const json = JSON.parse(out(['codes', exampleStudy, '--segments', '--format', 'json'])) as SegmentJson[];
      const expected = path.join(dir, 'expected.txt');
      // One excerpt a line, with its line breaks written as <NL> on both sides.
      writeFileSync(expected, json.map((j) => j.excerpt.replace(/\n/g, '<NL>')).join('\n'));
      const script = `s <- read.csv(${JSON.stringify(csv)}, fileEncoding = "UTF-8-BOM", check.names = FALSE, stringsAsFactors = FALSE)
e <- readLines(${JSON.stringify(expected)}, encoding = "UTF-8", warn = FALSE)
cat(nrow(s), length(e) == nrow(s) && all(gsub("\\n", "<NL>", s$text, fixed = TRUE) == e))`;
      const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), `${json.length} TRUE`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
