import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { AgreementReport } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const GUIDE = 'id: g\ntitle: G\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q1\n        text: Why?\n';
const CODEBOOK = 'codes:\n  - id: benefit\n    children:\n      - id: family\n  - id: cost\n';
const fm = (p: string): string => `---\nguide: g\nparticipant: ${p}\n---\n`;

/** Coder A's and coder B's copies of a two-transcript study (one more transcript in A). */
const A = {
  'g.guide.yaml': GUIDE, 'c.codebook.yaml': CODEBOOK,
  'p1.transcript': `${fm('p1')}I: @q1 Why?\n\nR: It helps {the family}#benefit/family a lot.\n`,
  'sub/p2.transcript': `${fm('p2')}I: @q1 Why?\n\nR: It costs time. #cost\n`,
  'p3.transcript': `${fm('p3')}I: @q1 Why?\n`,
};
const B = {
  'g.guide.yaml': GUIDE, 'c.codebook.yaml': CODEBOOK,
  'p1.transcript': `${fm('p1')}I: @q1 Why?\n\nR: It helps {the family}#benefit/family a lot.\n`,
  'sub/p2.transcript': `${fm('p2')}I: @q1 Why?\n\nR: It costs {time}#benefit.\n`,
};

function writeStudy(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

function twoFolders(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-agree-'));
  writeStudy(path.join(dir, 'coder-a'), A);
  writeStudy(path.join(dir, 'coder-b'), B);
  return dir;
}

function json(args: string[], cwd: string): AgreementReport {
  const r = run([...args, '--format', 'json'], cwd);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as AgreementReport;
}

/** What the comparison of A and B must give, whichever way the copies are read. */
function assertAB(r: AgreementReport): void {
  assert.equal(r.unit, 'character');
  assert.deepEqual(r.transcripts.map((t) => [t.file, t.paired]), [['p1.transcript', true], ['p3.transcript', false], ['sub/p2.transcript', true]]);
  assert.deepEqual(r.codes.map((c) => c.code), ['benefit', 'benefit/family', 'cost']);
  const family = r.codes.find((c) => c.code === 'benefit/family')!;
  assert.equal(family.both, 10);
  assert.equal(family.kappa, 1);
  // "R: It costs time." coded whole by A as cost; "time" coded by B as benefit.
  assert.deepEqual(r.disagreements.map((d) => [d.file, d.code, d.coder, d.excerpt]), [
    ['sub/p2.transcript', 'cost', 'A', 'R: It costs time.'],
    ['sub/p2.transcript', 'benefit', 'B', 'time'],
  ]);
  const benefit = r.disagreements[1];
  assert.deepEqual(benefit.rangeA, { start: { line: 6, character: 12 }, end: { line: 6, character: 16 } });
  assert.deepEqual(benefit.rangeB, { start: { line: 6, character: 13 }, end: { line: 6, character: 17 } });
}

describe('transcript-coder agree', () => {
  it('compares two folders: JSON of SPEC §11', () => {
    const dir = twoFolders();
    const r = json(['agree', 'coder-a', 'coder-b'], dir);
    assert.equal(r.a, 'coder-a');
    assert.equal(r.b, 'coder-b');
    assertAB(r);
    const units = r.transcripts.filter((t) => t.paired).reduce((n, t) => n + (t.alignedUnits ?? 0), 0);
    for (const c of r.codes) assert.equal(c.both + c.onlyA + c.onlyB + c.neither, units, c.code);
    assert.equal(r.overall.onlyA + r.overall.onlyB, r.codes.reduce((n, c) => n + c.onlyA + c.onlyB, 0));
  });

  it('Markdown names what was left out and lists the disagreements; CSV has a row per code and overall', () => {
    const dir = twoFolders();
    const md = run(['agree', 'coder-a', 'coder-b', '--unit', 'paragraph'], dir);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /unit: paragraphs/);
    assert.match(md.stdout, /p3\.transcript: only in copy A; left out\./);
    assert.match(md.stdout, /\| `cost` \| 0 \| 1 \| 0 \| 3 \| 75\.0% \| 0\.000 \|/);
    assert.match(md.stdout, /\| sub\/p2\.transcript \| 7 \| 7 \| `benefit` \| B \| R: It costs time\. \|/);
    const csv = run(['agree', 'coder-a', 'coder-b', '--unit', 'transcript', '--format', 'csv'], dir);
    assert.equal(csv.status, 0, csv.stderr);
    assert.deepEqual(csv.stdout.trimEnd().split('\r\n'), [
      'scope,code,both,only A,only B,neither,percent,kappa,alpha',
      'code,benefit,0,0,1,1,50,0,0',
      'code,benefit/family,1,0,0,1,100,1,1',
      'code,cost,0,1,0,1,50,0,0',
      'overall,,1,1,1,3,66.66666666666667,0.25,0.3125', // κ = (6·4 − 20)/(36 − 20); α = 1 − 11·2/(8·4)
    ]);
    const html = run(['agree', 'coder-a', 'coder-b', '--format', 'html'], dir);
    assert.equal(html.status, 0, html.stderr);
    assert.match(html.stdout, /<td class="k high">1\.000<\/td>/);
  });

  it('--code keeps a code and its sub-codes', () => {
    const r = json(['agree', 'coder-a', 'coder-b', '--code', 'benefit'], twoFolders());
    assert.deepEqual(r.codes.map((c) => c.code), ['benefit', 'benefit/family']);
    assert.deepEqual(r.disagreements.map((d) => d.code), ['benefit']);
  });

  it('refuses a wrong unit, a missing copy, and a folder with no study', () => {
    const dir = twoFolders();
    const unit = run(['agree', 'coder-a', 'coder-b', '--unit', 'word'], dir);
    assert.equal(unit.status, 2);
    assert.match(unit.stderr, /unknown unit 'word': use character, paragraph, transcript/);
    const one = run(['agree', 'coder-a'], dir);
    assert.equal(one.status, 2);
    assert.match(one.stderr, /agree needs two copies of the study \(two folders\), got 1/);
    mkdirSync(path.join(dir, 'empty'));
    const empty = run(['agree', 'coder-a', 'empty'], dir);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /no study files in empty/);
    assert.match(run(['agree', '--help'], dir).stdout, /agree --git REV_A REV_B/);
  });

  it('--git compares two branches from git objects, leaving the working tree alone', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'tc-agree-git-'));
    const g = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    g('init', '-q', '-b', 'coder-a');
    g('config', 'user.email', 'a@example.org');
    g('config', 'user.name', 'A');
    writeStudy(path.join(repo, 'study'), A);
    writeFileSync(path.join(repo, 'outside.transcript'), `${fm('x')}R: not in the study folder #cost\n`);
    g('add', '-A');
    g('commit', '-q', '-m', 'coder A');
    g('checkout', '-q', '-b', 'coder-b');
    execFileSync('git', ['rm', '-q', 'study/p3.transcript'], { cwd: repo });
    writeStudy(path.join(repo, 'study'), B);
    g('commit', '-q', '-am', 'coder B');
    g('checkout', '-q', 'coder-a');
    // An uncommitted edit in the working tree: neither read nor changed.
    const edited = path.join(repo, 'study/p1.transcript');
    writeFileSync(edited, `${fm('p1')}R: edited, not committed #cost\n`);
    const before = snapshot(repo);
    const cwd = path.join(repo, 'study');
    const r = json(['agree', '--git', 'coder-a', 'coder-b'], cwd);
    assert.equal(r.a, 'coder-a');
    assert.equal(r.b, 'coder-b');
    assertAB(r);
    assert.deepEqual(snapshot(repo), before);
    assert.equal(g('status', '--porcelain').trim(), 'M study/p1.transcript');
    assert.equal(g('rev-parse', '--abbrev-ref', 'HEAD').trim(), 'coder-a');
    // A commit works as well as a branch name.
    const sha = g('rev-parse', 'coder-b').trim();
    assert.deepEqual(json(['agree', '--git', 'coder-a', sha], cwd).disagreements.length, 2);
    const bad = run(['agree', '--git', 'coder-a', 'coder-c'], cwd);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no branch, tag or commit named 'coder-c' in this repository/);
    const notRepo = run(['agree', '--git', 'a', 'b'], mkdtempSync(path.join(tmpdir(), 'tc-agree-none-')));
    assert.equal(notRepo.status, 2);
    assert.match(notRepo.stderr, /is not inside a git repository/);
  });
});

/** Every file under `dir` but .git's own, with its contents and modification time. */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, rel))) {
    if (name === '.git') continue;
    const p = path.join(rel, name);
    const st = statSync(path.join(dir, p));
    if (st.isDirectory()) Object.assign(out, snapshot(dir, p));
    else out[p] = `${st.mtimeMs} ${readFileSync(path.join(dir, p), 'utf8')}`;
  }
  return out;
}
