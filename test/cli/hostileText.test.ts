/**
 * The built command-line tool on a study whose names, titles and text hold terminal escape sequences and
 * spreadsheet formulas: what it prints on a terminal holds no control character (each is shown as its
 * symbol, ␛ for ESC), and its CSV no live formula.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const dir = mkdtempSync(path.join(tmpdir(), 'tc-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// YAML's double quotes write ESC as \e and BEL as \a; the transcript body holds the characters themselves.
writeFileSync(path.join(dir, 'g.guide.yaml'), 'id: g\ntitle: "\\e]0;pwned\\a Guide"\nsections:\n  - id: s\n    title: "\\e[2JSection"\n    questions:\n      - id: q1\n        text: "Why? \\e[31mred"\n      - id: q2\n        text: "\\e[8mhidden"\n');
writeFileSync(path.join(dir, 'c.codebook.yaml'), 'codes:\n  - id: trust\n    label: "=HYPERLINK(\\"http://evil.example\\")\\e[0m"\n');
writeFileSync(path.join(dir, 't.transcript'), '---\nguide: "\\e[2Jg"\nparticipant: "+1 \\e[5mSW01"\n---\nI: @q1 {=1+1 \x1b[2Jsaid}#trust #\x1b[31mnot-a-code\n');
writeFileSync(path.join(dir, 'u.transcript'), '---\nguide: g\nrole: "\\e]0;title\\a"\n---\nI: @q1 {said \x1b[2Jit}#trust #unknown\n');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hostile study text on the command line', () => {
  it('check, report and codes print no control character', () => {
    const check = run('check', '.');
    assert.equal(check.status, 1, check.stderr);
    assert.match(check.stdout, /^t\.transcript:2:9: error unknown-guide: There is no guide '␛\[2Jg' in this study\. The study's guides: g\.$/m);
    assert.match(check.stdout, /`role: ␛\]0;title␇` means nothing to it/);
    for (const r of [check, run('report', '.'), run('codes', '.'), run('codes', '.', '--segments'), run('report', '.', '--format', 'html')]) {
      assert.doesNotMatch(r.stdout, CONTROL, r.stdout);
      assert.doesNotMatch(r.stderr, CONTROL, r.stderr);
    }
  });

  it('CSV output writes formulas as text', () => {
    const counts = run('codes', '.', '--format', 'csv');
    assert.match(counts.stdout, /^trust,"'=HYPERLINK\(""http:\/\/evil\.example""\)␛\[0m",true,/m);
    const segments = run('codes', '.', '--segments', '--format', 'csv');
    assert.match(segments.stdout, /,'=1\+1 ␛\[2Jsaid\r\n/);
    assert.match(segments.stdout, /,'\+1 ␛\[5mSW01,/);
    assert.doesNotMatch(segments.stdout.replace(/\r\n/g, '\n'), CONTROL);
  });
});
