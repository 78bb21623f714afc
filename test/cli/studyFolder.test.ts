/**
 * The study folder as the CLI reads it, from the outside (the built dist/cli.js): links that lead
 * outside the study are left out with a warning and never read into any output; a folder that
 * cannot be read fails every command; a file that is not UTF-8 is one error line naming the byte; a
 * folder with no study file is a mistake (exit status 2), not a passing check; and nothing from the
 * study reaches the terminal as a control sequence.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { boundByPermissions, lockFolder, removeWrittenStudies, writeStudy } from '../host/helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

after(removeWrittenStudies);

function run(args: string[], cwd: string, program = [process.execPath]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...first] = program;
  const r = spawnSync(command, [...first, CLI, ...args], { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GUIDE = 'id: g\ntitle: Guide\nsections:\n  - id: s1\n    title: First\n    questions:\n      - id: q1\n        text: First question?\n';
const CODEBOOK = 'codes:\n  - id: benefit\n    label: Benefits\n';
const transcript = (participant: string, body = 'I: @q1 Hello?\nR: {Fine}#benefit\n'): string => `---\nguide: g\nparticipant: ${participant}\n---\n${body}`;

/** A small study with no problem in it, in a folder of its own below `cwd` (returned), named `study`. */
function cleanStudy(extra: Record<string, string> = {}): string {
  return writeStudy({ 'study/g.guide.yaml': GUIDE, 'study/c.codebook.yaml': CODEBOOK, 'study/a.transcript': transcript('P1'), ...extra });
}

/** Every command over the folder `study`, with what an unreadable file or folder's line says became of it. */
const COMMANDS: [string, string[], string][] = [
  ['check', ['check', 'study'], 'not checked'],
  ['check --format json', ['check', 'study', '--format', 'json'], 'not checked'],
  ['report', ['report', 'study'], 'left out of the report'],
  ['report --format csv', ['report', 'study', '--format', 'csv'], 'left out of the report'],
  ['codes', ['codes', 'study'], 'left out of the counts'],
  ['codes --segments', ['codes', 'study', '--segments'], 'left out of the segments'],
  ['export refi', ['export', 'refi', 'study', '-o', 'out.qdpx'], 'left out of the export'],
  ['export qdc', ['export', 'qdc', 'study', '-o', 'out.qdc'], 'left out of the export'],
];

describe('links that lead outside the study folder', () => {
  /** The study, with links to a private file and folder outside it, one inside it and a loop. */
  function linkedStudy(): { cwd: string; secret: string } {
    const secret = 'I: @q1 CONFIDENTIAL words from outside the study\n';
    const outside = writeStudy({ 'private.transcript': transcript('Outsider', secret), 'folder/other.transcript': transcript('Outsider', secret) }, 'tc-outside-');
    const cwd = cleanStudy();
    const study = path.join(cwd, 'study');
    symlinkSync('/etc/passwd', path.join(study, 'passwd.transcript'));
    symlinkSync('/etc/passwd', path.join(study, 'passwd.codebook.yaml'));
    symlinkSync(path.join(outside, 'private.transcript'), path.join(study, 'private.transcript'));
    symlinkSync(path.join(outside, 'folder'), path.join(study, 'folder'));
    symlinkSync('a.transcript', path.join(study, 'same.transcript'));
    symlinkSync('.', path.join(study, 'loop'));
    return { cwd, secret };
  }

  const WARNINGS = [
    'transcript-coder: warning: study/folder: it is a link to a folder outside the study folder, so nothing in it is read.',
    'transcript-coder: note: study/loop: it is a link back to the study folder, so it is not followed.',
    'transcript-coder: warning: study/passwd.codebook.yaml: it is a link to a file outside the study folder, so it is not read.',
    'transcript-coder: warning: study/passwd.transcript: it is a link to a file outside the study folder, so it is not read.',
    'transcript-coder: warning: study/private.transcript: it is a link to a file outside the study folder, so it is not read.',
    'transcript-coder: note: study/same.transcript: it leads to study/a.transcript, which is read under that name.',
  ];
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0].split(':')[0];

  for (const [what, args] of COMMANDS) {
    it(`${what}: a line for each link, the study read without what lies outside, exit status 0`, () => {
      const { cwd, secret } = linkedStudy();
      const r = run(args, cwd);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.stderr.trimEnd().split('\n').filter((l) => !l.includes('does not end in')), WARNINGS);
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!text.includes('CONFIDENTIAL') && !text.includes('Outsider'), 'nothing of the outside files is printed');
        assert.ok(!text.includes(`${passwd}:x:`), 'nothing of /etc/passwd is printed');
      }
      if (what === 'check') assert.equal(r.stdout, 'No problems in 3 files.\n');
      if (what === 'export refi') {
        const zip = unzipSync(new Uint8Array(readFileSync(path.join(cwd, 'out.qdpx'))));
        const sources = Object.keys(zip).filter((f) => f.startsWith('sources/'));
        assert.equal(sources.length, 1, 'one transcript in the project: the study\'s own, once');
        for (const [name, bytes] of Object.entries(zip)) {
          const text = strFromU8(bytes);
          assert.ok(!text.includes(secret.trim().slice(7)) && !text.includes('Outsider'), `${name} holds nothing of the outside files`);
          assert.ok(!text.includes(`${passwd}:x:`), `${name} holds nothing of /etc/passwd`);
        }
      }
    });
  }
});

describe('folders that cannot be read', () => {
  // A folder whose permission is taken away, with a transcript full of errors inside: nothing in it
  // is checked, so no command may pass.
  const BROKEN = transcript('P2', 'I: @nope {unclosed\nR: #unknown\n');

  for (const [what, args, outcome] of COMMANDS) {
    it(`${what}: an error line naming the folder, the rest done, exit status 1`, () => {
      const cwd = cleanStudy({ 'study/locked/b.transcript': BROKEN });
      const unlock = lockFolder(path.join(cwd, 'study', 'locked'));
      try {
        const r = run(args, cwd, boundByPermissions());
        assert.equal(r.status, 1, r.stderr);
        assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes('error')),
          [`transcript-coder: error: cannot read the folder study/locked: you do not have permission to read it; the study files in it were ${outcome}.`]);
        assert.ok(r.stdout.length > 0, 'the readable files are still done');
      } finally {
        unlock();
      }
    });
  }

  it('the study folder itself: one error line and exit status 1, for every command', () => {
    const cwd = cleanStudy();
    const unlock = lockFolder(path.join(cwd, 'study'));
    try {
      for (const [what, args] of COMMANDS) {
        const r = run(args, cwd, boundByPermissions());
        assert.equal(r.status, 1, `${what}: ${r.stderr}`);
        assert.equal(r.stderr, 'transcript-coder: cannot read the study folder study: you do not have permission to read it\n', what);
        assert.equal(r.stdout, '', what);
      }
    } finally {
      unlock();
    }
  });
});

describe('study files that are not UTF-8', () => {
  for (const [what, args, outcome] of COMMANDS) {
    it(`${what}: one line naming the file and the first bad byte, the rest done, exit status 1`, () => {
      const cwd = cleanStudy();
      writeFileSync(path.join(cwd, 'study', 'latin1.transcript'), Buffer.from(transcript('P3', 'I: @q1 Caf\xe9?\n'), 'latin1'));
      writeFileSync(path.join(cwd, 'study', 'notepad.transcript'), Buffer.from(`\ufeff${transcript('P4')}`, 'utf16le'));
      const r = run(args, cwd);
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes('cannot read')),
        [`transcript-coder: error: cannot read study/latin1.transcript: it is not UTF-8 text (byte 0xE9 at offset 43, line 5, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8; it was ${outcome}.`]);
      if (what === 'check') assert.equal(r.stdout, 'No problems in 4 files.\n', 'the UTF-16 file with a byte-order mark is read as it is');
      if (what === 'codes') assert.match(r.stdout, /^\| `benefit` \| Benefits \| 2 \| 2 \| 2 \| 2 \|$/m);
    });
  }
});

describe('a folder with no study file', () => {
  for (const [what, args] of COMMANDS) {
    it(`${what}: one line saying so, exit status 2`, () => {
      const cwd = writeStudy({ 'study/notes.txt': 'not a study file', 'study/sub/guide.yaml': 'nor this' });
      const r = run(args, cwd);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'transcript-coder: no study files in study (no *.guide.yaml, *.codebook.yaml or *.transcript): check the folder\'s name\n');
    });
  }

  it('a folder whose only study files lead outside it is such a folder too', () => {
    const outside = writeStudy({ 'x.transcript': transcript('Outsider') }, 'tc-outside-');
    const cwd = writeStudy({});
    mkdirSync(path.join(cwd, 'study'));
    symlinkSync(path.join(outside, 'x.transcript'), path.join(cwd, 'study', 'x.transcript'));
    const r = run(['check', 'study'], cwd);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^transcript-coder: warning: study\/x\.transcript: it is a link to a file outside the study folder, so it is not read\.\ntranscript-coder: no study files in study /);
  });
});

/** Where `text` has a terminal control character (a C0 control but tab and line ends, DEL, a C1 control, a lone CR), or -1. */
function firstControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d ? text.charCodeAt(i + 1) !== 0x0a : (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) return i;
  }
  return -1;
}

describe('terminal control characters from the study', () => {
  const ESC = '\x1b';
  /** A study whose file name, participant, codebook label, code and text carry escape sequences. */
  function escapingStudy(): string {
    return writeStudy({
      'study/g.guide.yaml': GUIDE,
      'study/c.codebook.yaml': 'codes:\n  - id: benefit\n    label: "Benefits \\e]0;pwned\\a"\n  - id: "be\\e[2Jnefit"\n    label: Bad\n',
      [`study/a${ESC}[31m.transcript`]: transcript(`"P\\e[8m1\\u009b2J"`, `I: @q1 Hello ${ESC}[5m?\nR: {Fine ${ESC}[2J}#benefit #be${ESC}[31mnefit\r${ESC}[1A\n`),
    });
  }

  for (const [what, args] of [
    ['check', ['check', 'study']],
    ['report', ['report', 'study']],
    ['report --format html', ['report', 'study', '--format', 'html']],
    ['codes', ['codes', 'study']],
    ['codes --segments', ['codes', 'study', '--segments']],
    ['codes --segments --format csv', ['codes', 'study', '--segments', '--format', 'csv']],
    ['codes --format json', ['codes', 'study', '--format', 'json']],
    ['export refi', ['export', 'refi', 'study', '-o', 'out.qdpx']],
  ] as const) {
    it(`${what}: no control character reaches the terminal, and the rest of the text does`, () => {
      const cwd = escapingStudy();
      const r = run([...args], cwd);
      for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
        assert.equal(firstControl(text), -1, `${stream} of ${what}: ${JSON.stringify(text)}`);
      }
      if (what === 'check') assert.match(r.stdout, /^study\/a\[31m\.transcript:\d+:\d+: /m, 'the file is named, without its escape');
      // Study text shows a control character as a visible symbol (␛), so the label is still read as written.
      if (what === 'codes') assert.match(r.stdout, /Benefits ␛\\?\]0;pwned/);
    });
  }
});

describe('--raw', () => {
  it('is taken by report and codes, and explained in --help', () => {
    const cwd = cleanStudy();
    for (const [args, row] of [
      [['report', 'study', '--format', 'csv', '--raw'], 'g,a.transcript,P1,1,1,100,asked\r\n'],
      [['codes', 'study', '--format', 'csv', '--raw'], 'benefit,Benefits,'],
      [['codes', 'study', '--segments', '--format', 'csv', '--raw'], 'a.transcript,P1,,q1,benefit,6,6,Fine\r\n'],
    ] as const) {
      const r = run([...args], cwd);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.includes(row), `${args.join(' ')}: ${r.stdout}`);
    }
    const help = run(['--help'], cwd).stdout;
    assert.match(help, /report \[folder\].*\[--raw\]/);
    assert.match(help, /codes \[folder\].*\[--raw\]/);
    assert.match(help, /--raw\s+writes every cell exactly as it is/);
  });

  it('writes a cell that begins with = exactly as the study has it', () => {
    const cwd = cleanStudy({ 'study/b.transcript': transcript('"=HYPERLINK(1)"', 'I: @q1 Hi\nR: {=SUM(A1)}#benefit\n') });
    const coverage = run(['report', 'study', '--format', 'csv', '--raw'], cwd).stdout;
    assert.match(coverage, /^g,b\.transcript,=HYPERLINK\(1\),/m);
    const segments = run(['codes', 'study', '--segments', '--format', 'csv', '--raw'], cwd).stdout;
    assert.match(segments, /,=SUM\(A1\)\r\n/);
  });
});
