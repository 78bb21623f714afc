/**
 * Pseudonymisation from the command line (SPEC §13), with the built `dist/cli.js` on a copy of the example
 * study: `check` with a names list, `pseudonymise`, redacted exports, and what the output may show of the
 * names list (nothing but a word found in a transcript, and its pseudonym).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { NameMatcher } from '../../server/src/core/privacy/matcher';
import { parseNamesList } from '../../server/src/core/privacy/names';
import { redactTranscript } from '../../server/src/core/privacy/redact';
import { parseTranscript } from '../../server/src/core/transcript';
import { at, nodes, parseXml, schemaErrors, sliceCodePoints, textOf, type Node } from '../refi/helpers';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/ppp-study');

/** Names the example study holds (Kai, Borough A, Northshire) and names it does not (which no output may ever show). */
const LIST = `Kai Whitfield: Finn Carter
Borough A: Borough X
Northshire:
Quentin Marlowe-Fitch: Q
Ysolde Brackenridge:
`;
const ABSENT = ['Quentin', 'Marlowe-Fitch', 'Ysolde', 'Brackenridge', 'Whitfield'];

function run(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the example study with `names` as its names list (or none), and an e-mail address in a case attribute. */
function copy(names: string | null = LIST): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-privacy-'));
  const study = path.join(dir, 'study');
  cpSync(EXAMPLE, study, { recursive: true });
  if (names !== null) writeFileSync(path.join(study, 'names.private.yaml'), names);
  const sw01 = path.join(study, 'sw01-borough-a.transcript');
  writeFileSync(sw01, readFileSync(sw01, 'utf8').replace('site: Borough A\n', 'site: Borough A\ncontact: kai.w@example.org (work)\n'));
  return study;
}

function transcripts(study: string): Map<string, string> {
  return new Map(readdirSync(study).filter((f) => f.endsWith('.transcript')).sort().map((f) => [f, readFileSync(path.join(study, f), 'utf8')]));
}

function assertNoAbsentName(output: string, where: string): void {
  for (const name of ABSENT) assert.ok(!output.toLowerCase().includes(name.toLowerCase()), `${where} shows '${name}', a listed name no transcript holds`);
}

describe('transcript-coder check with a names list', () => {
  it('warns about each listed name in transcripts, quoting the word as written and its pseudonym', () => {
    const study = copy();
    const r = run(['check', '.'], study);
    const names = r.stdout.split('\n').filter((l) => l.includes('identifying-name'));
    assert.ok(names.includes("sw01-borough-a.transcript:25:126: warning identifying-name: 'Kai' is part of a name on the names list: replace it with the pseudonym 'Finn'."), names.join('\n'));
    assert.ok(names.includes("sw01-borough-a.transcript:6:7: warning identifying-name: 'Borough A' is on the names list: replace it with the pseudonym 'Borough X'."));
    assert.ok(names.some((l) => l.startsWith("sw02-northshire.transcript:6:7: warning identifying-name: 'Northshire' is on the names list, which gives no pseudonym")));
    assert.ok(r.stdout.includes('sw01-borough-a.transcript:7:10: warning identifying-detail: This looks like an e-mail address'));
  });

  it('never prints a listed name that is not in the line it reports, in text or JSON', () => {
    const study = copy();
    const files = transcripts(study);
    for (const format of ['text', 'json']) {
      const r = run(['check', '.', '--format', format], study);
      assertNoAbsentName(r.stdout + r.stderr, `check --format ${format}`);
    }
    const rows = JSON.parse(run(['check', '.', '--format', 'json'], study).stdout) as { file: string; code: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
    for (const d of rows.filter((x) => x.code === 'identifying-name')) {
      const line = files.get(d.file)!.split('\n')[d.range.start.line];
      const word = line.slice(d.range.start.character, d.range.end.character);
      assert.equal(/'([^']+)'/.exec(d.message)![1], word, 'the message quotes the word at its range');
    }
  });

  it('reads the names list from transcriptCoder.privacy.namesFile, outside the study folder', () => {
    const study = copy(null);
    writeFileSync(path.join(study, '..', 'key.yaml'), 'Kai: Finn\n');
    mkdirSync(path.join(study, '.vscode'));
    writeFileSync(path.join(study, '.vscode', 'settings.json'), '{ "transcriptCoder.privacy.namesFile": "../key.yaml" }');
    const r = run(['check', '.'], study);
    assert.equal(r.stdout.split('\n').filter((l) => l.includes("identifying-name: 'Kai' is on the names list: replace it with the pseudonym 'Finn'.")).length, 3);
  });

  it('reports a names list it cannot use as an error with its line, quoting none of it', () => {
    const study = copy('- Kai Whitfield\n- [Quentin, Ysolde]\n');
    const r = run(['check', '.'], study);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.includes('names.private.yaml:2:3: error invalid-names-list: The names list, line 2: each entry must be a name, or a name and its pseudonym as "Real Name: Pseudonym"; this entry is not checked.'), r.stdout);
    assertNoAbsentName(r.stdout + r.stderr, 'check');
    assert.match(r.stdout, / in \d of 7 files and the names list\.\n$/);
    const missing = copy(null);
    mkdirSync(path.join(missing, '.vscode'));
    writeFileSync(path.join(missing, '.vscode', 'settings.json'), '{ "transcriptCoder.privacy.namesFile": "../nowhere.yaml" }');
    const m = run(['check', '.'], missing);
    assert.equal(m.status, 1);
    assert.ok(m.stdout.includes('../nowhere.yaml:1:1: error invalid-names-list: The names list cannot be read: there is no file there (set by transcriptCoder.privacy.namesFile), so no name is checked.'), m.stdout);
  });
});

describe('transcript-coder pseudonymise', () => {
  it('with --dry-run says what it would replace and changes nothing', () => {
    const study = copy();
    const before = transcripts(study);
    const r = run(['pseudonymise', '--dry-run'], study);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sw01-borough-a\.transcript: would replace 6 names$/m);
    assert.deepEqual(transcripts(study), before);
    assertNoAbsentName(r.stdout + r.stderr, 'pseudonymise --dry-run');
  });

  it('replaces every listed name that has a pseudonym, keeps coverage and code counts, and a second run replaces nothing', () => {
    const study = copy();
    const codes = run(['codes', '--format', 'json'], study).stdout;
    const coverage = (): unknown => (JSON.parse(run(['report', '--format', 'json'], study).stdout) as { guides: { transcripts: { file: string; asked: number; expected: number; cells: unknown }[] }[] })
      .guides.map((g) => g.transcripts.map((t) => [t.file, t.asked, t.expected, t.cells]));
    const segments = (): string[] => (JSON.parse(run(['codes', '--segments', '--format', 'json'], study).stdout) as { code: string; file: string; range: unknown }[]).map((s) => `${s.file} ${s.code} ${JSON.stringify(s.range).length > 0}`);
    const cov = coverage();
    const segs = segments();
    const r = run(['pseudonymise'], study);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [
      'sw01-borough-a.transcript: replaced 6 names',
      'sw02-northshire.transcript: nothing replaced; 2 listed names left (no pseudonym in the list)',
      'tm01-borough-a.transcript: replaced 3 names',
      'tm02-northshire.transcript: nothing replaced; 4 listed names left (no pseudonym in the list)',
      'Replaced 9 names in 2 files of 5 transcripts. 6 listed names have no pseudonym in the list and were left: replace them by hand, or add the pseudonyms to the list.',
      '',
    ].join('\n'));
    assertNoAbsentName(r.stdout + r.stderr, 'pseudonymise');
    const after = transcripts(study);
    assert.ok(!/\bKai\b|Borough A/.test(after.get('sw01-borough-a.transcript')!));
    assert.ok(after.get('sw01-borough-a.transcript')!.includes("I'll call the baby Finn."));
    assert.equal(run(['codes', '--format', 'json'], study).stdout, codes);
    assert.deepEqual(coverage(), cov);
    assert.deepEqual(segments(), segs);
    const again = run(['pseudonymise'], study);
    assert.match(again.stdout, /^Replaced 0 names in 0 files of 5 transcripts\./m);
    assert.deepEqual(transcripts(study), after);
    assert.ok(!run(['check', '.'], study).stdout.includes("replace it with the pseudonym"));
  });

  it('refuses to run without a names list, or with one it cannot use, and changes nothing', () => {
    const none = copy(null);
    const r = run(['pseudonymise'], none);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no names list: put one in names\.private\.yaml/);
    const bad = copy('Kai: [Finn\n');
    const before = transcripts(bad);
    const b = run(['pseudonymise'], bad);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /nothing was replaced: correct the names list first/);
    assert.deepEqual(transcripts(bad), before);
  });
});

describe('redacted exports', () => {
  const rules = { names: new NameMatcher(parseNamesList(LIST).entries) };
  const redact = (s: string): string => redactTranscript(s, parseTranscript(s), rules).text;

  it('codes --segments and segments --redact show pseudonyms and placeholders in excerpts and case attributes', () => {
    const study = copy();
    for (const args of [['codes', '--segments'], ['segments']]) {
      const r = run([...args, '--format', 'json', '--redact'], study);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(/\bKai\b|\bBorough A\b|\bNorthshire\b|example\.org/.exec(r.stdout), null, `${args.join(' ')} --redact still shows a name or detail`);
      const rows = JSON.parse(r.stdout) as { file: string; excerpt: string; attributes: Record<string, unknown> }[];
      const sw01 = rows.find((x) => x.file === 'sw01-borough-a.transcript')!;
      assert.equal(sw01.attributes.site, 'Borough X');
      assert.equal(sw01.attributes.contact, '[email] (work)');
      assert.ok(rows.some((x) => x.excerpt.includes('Finn was in that house')));
      assert.ok(rows.some((x) => x.excerpt.includes('[name]')));
      assertNoAbsentName(r.stdout + r.stderr, `${args.join(' ')} --redact`);
    }
    // Without --redact, the same rows show the transcripts as written.
    assert.match(run(['segments', '--format', 'json'], study).stdout, /Kai was in that house/);
  });

  it('export refi --redact validates, leaves the names list out, and keeps every selection on the same (redacted) words', async () => {
    const study = copy();
    assert.equal(run(['export', 'refi', '-o', '../plain.qdpx'], study).status, 0);
    const r = run(['export', 'refi', '-o', '../redacted.qdpx', '--redact'], study);
    assert.equal(r.status, 0, r.stderr);
    const read = (f: string): Record<string, Uint8Array> => unzipSync(new Uint8Array(readFileSync(path.join(study, '..', f))));
    const plain = read('plain.qdpx');
    const redacted = read('redacted.qdpx');
    assert.deepEqual(Object.keys(redacted).sort(), Object.keys(plain).sort());
    // The names list is no study file: neither export holds any of it.
    assertNoAbsentName(Object.values(plain).map((b) => strFromU8(b)).join('\n'), 'the plain project');
    const qde = strFromU8(redacted['project.qde']);
    assert.deepEqual(await schemaErrors(qde, 'Project.xsd'), []);
    const all = Object.values(redacted).map((b) => strFromU8(b)).join('\n');
    // Files keep their names (sw02-northshire), as docs/privacy.md says: everything else is redacted.
    const withoutFileNames = all.replace(/ name="[^"]*"/g, '');
    // Whole words only: a handle such as @NorthshireCS is another word (docs/privacy.md says so).
    const left = /\bKai\b|\bBorough A\b|\bNorthshire\b|example\.org/.exec(withoutFileNames);
    assert.equal(left, null, 'the redacted project still holds a name or detail');
    assertNoAbsentName(all, 'the redacted project');

    const sources = (files: Record<string, Uint8Array>): Node[] => nodes(((parseXml(strFromU8(files['project.qde'])).Project as Node).Sources as Node).TextSource);
    const before = sources(plain);
    const after = sources(redacted);
    assert.equal(after.length, before.length);
    let compared = 0;
    before.forEach((src, i) => {
      const textBefore = strFromU8(plain[`sources/${at(src, 'plainTextPath').replace('internal://', '')}`]);
      const textAfter = strFromU8(redacted[`sources/${at(after[i], 'plainTextPath').replace('internal://', '')}`]);
      assert.equal(textAfter, redact(textBefore), `${at(src, 'name')}: the redacted plain text is the plain text redacted`);
      const selBefore = nodes(src.PlainTextSelection);
      const selAfter = nodes(after[i].PlainTextSelection);
      assert.equal(selAfter.length, selBefore.length);
      selBefore.forEach((s, j) => {
        const wordsBefore = sliceCodePoints(textBefore, Number(at(s, 'startPosition')), Number(at(s, 'endPosition')));
        const wordsAfter = sliceCodePoints(textAfter, Number(at(selAfter[j], 'startPosition')), Number(at(selAfter[j], 'endPosition')));
        assert.equal(wordsAfter, redact(wordsBefore), `${at(src, 'name')}: selection ${j} covers other words once redacted`);
        compared++;
      });
    });
    assert.ok(compared > 300, `only ${compared} selections compared`);
    // Case attributes are redacted too.
    const values = nodes(((parseXml(qde).Project as Node).Cases as Node)?.Case).flatMap((c) => nodes(c.VariableValue).map((v) => textOf(v.TextValue)));
    assert.ok(values.includes('Borough X') && values.includes('[email] (work)'), values.join(' | '));
  });

  it('refuses to redact with a names list it cannot use', () => {
    const study = copy('- [Kai\n');
    const r = run(['export', 'refi', '-o', '../x.qdpx', '--redact'], study);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the names list \(names\.private\.yaml\) has a problem, so nothing was redacted/);
  });
});
