/**
 * `transcript-coder import transcript` and `import guide` end to end, as a researcher runs them: the
 * built CLI on Word documents the test writes with the `docx` package, subtitle and text files, then
 * `check` and `report` on the study they land in.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SEED = '/work/shared/seed/000_59ba962f420f7d77.txt';

function run(args: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every temporary folder made here, each removed (itself only) at the end. */
const made: string[] = [];
function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

async function docx(paragraphs: Paragraph[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] }));
}

/** A study folder holding the example study's guide and codebook, no transcripts. */
function emptyStudy(): string {
  const dir = tempFolder('tc-import-');
  cpSync(path.join(ROOT, 'examples/ppp-study/ppp-general.guide.yaml'), path.join(dir, 'study/ppp-general.guide.yaml'));
  return dir;
}

const TEAMS_VTT = `WEBVTT

1a2b/1-0
00:00:01.000 --> 00:00:04.000
<v Interviewer 1>Could you start with your job title? It&#39;s for the {record}.</v>

1a2b/2-0
00:00:05.500 --> 00:00:09.000
<v Jo Bloggs>Senior practitioner &amp; #1 in the team, @work since 2007.</v>
`;

describe('import transcript', () => {
  it('imports a Teams .vtt and a Word transcript into the study; check passes and the report lists both', async () => {
    const dir = emptyStudy();
    writeFileSync(path.join(dir, 'SW21.vtt'), TEAMS_VTT);
    writeFileSync(path.join(dir, 'TM05.docx'), await docx([
      new Paragraph({ text: 'Interview with TM05', heading: HeadingLevel.HEADING_1 }),
      new Paragraph({ children: [new TextRun({ text: 'Interviewer:\tWhat were the reasons for doing the PPM?' })] }),
      new Paragraph({ children: [new TextRun({ text: 'TM05: Mum kept missing appointments & ' }), new TextRun({ text: 'the school', italics: true }), new TextRun(' was worried.')] }),
      new Paragraph({ text: 'She said: "I\'ll come next time" {twice}.' }),
      new Paragraph({ text: 'Interviewer: Whose idea was it?' }),
      new Paragraph({ text: 'TM05: Mine.' }),
    ]));
    const before = readFileSync(path.join(dir, 'SW21.vtt'));
    const r = run(['import', 'transcript', 'SW21.vtt', 'TM05.docx', '-o', 'study', '--guide', 'ppp-general', '--role', 'tm', '--speaker', 'Interviewer 1=I'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [
      `Wrote ${path.join('study', 'SW21.transcript')}: 2 turns by I (1), Jo Bloggs (1).`,
      `Wrote ${path.join('study', 'TM05.transcript')}: 4 turns by Interviewer (2), TM05 (2).`,
      'Next: check the speakers and add question markers, then run transcript-coder check study',
      '',
    ].join('\n'));
    assert.deepEqual(readFileSync(path.join(dir, 'SW21.vtt')), before, 'the input is never changed');
    assert.equal(readFileSync(path.join(dir, 'study/SW21.transcript'), 'utf8'), `---
participant: SW21
guide: ppp-general
role: tm
speakers:
  - I
  - Jo Bloggs
---

I: [00:00:01] Could you start with your job title? It's for the \\{record\\}.

Jo Bloggs: [00:00:05] Senior practitioner & #1 in the team, \\@work since 2007.
`);
    // A line that would read as a speaker turn ("She said: …") is indented by a space, so it stays TM05's words.
    assert.equal(readFileSync(path.join(dir, 'study/TM05.transcript'), 'utf8').split('---\n')[2], `
Interview with TM05

Interviewer: What were the reasons for doing the PPM?

TM05: Mum kept missing appointments & the school was worried.
 She said: "I'll come next time" \\{twice\\}.

Interviewer: Whose idea was it?

TM05: Mine.
`);
    const check = run(['check', 'study', '--format', 'json'], dir);
    assert.equal(check.status, 0, check.stdout);
    const codes = new Set((JSON.parse(check.stdout) as { code: string }[]).map((d) => d.code));
    assert.deepEqual([...codes].sort(), ['missing-section'], 'only the questions not yet marked are reported');
    const report = JSON.parse(run(['report', 'study', '--format', 'json'], dir).stdout) as { guides: { transcripts: { participant: string; role: string }[] }[] };
    assert.deepEqual(report.guides[0].transcripts.map((t) => `${t.participant} ${t.role}`), ['SW21 tm', 'TM05 tm']);
  });

  it('--suggest-markers places markers on the interviewer turns that clearly ask a guide question, and nowhere else', () => {
    const dir = emptyStudy();
    writeFileSync(path.join(dir, 'SW30.vtt'), `WEBVTT

00:00:01.000 --> 00:00:03.000
Interviewer: Thanks for making time today.

00:00:04.000 --> 00:00:06.000
Jo: No problem.

00:00:07.000 --> 00:00:11.000
Interviewer: Could you tell me your job title and how long you have been in post?

00:00:12.000 --> 00:00:15.000
Jo: Senior practitioner, four years.

00:00:16.000 --> 00:00:20.000
Interviewer: What were the reasons for doing the PPM in this case?

00:00:21.000 --> 00:00:24.000
Jo: Mum kept missing appointments.

00:00:25.000 --> 00:00:27.000
Interviewer: And whose idea was it?

00:00:28.000 --> 00:00:30.000
Jo: Mine, really.
`);
    const r = run(['import', 'transcript', 'SW30.vtt', '-o', 'study', '--guide', 'ppp-general', '--role', 'swr', '--suggest-markers'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Question markers placed on 3 of the interviewer's 4 turns/);
    assert.match(r.stdout, /Next: check the speakers and the question markers/);
    const body = readFileSync(path.join(dir, 'study/SW30.transcript'), 'utf8').split('---\n')[2];
    assert.equal(body, `
Interviewer: [00:00:01] Thanks for making time today.

Jo: [00:00:04] No problem.

Interviewer: @job-title [00:00:07] Could you tell me your job title and how long you have been in post?

Jo: [00:00:12] Senior practitioner, four years.

Interviewer: @reasons [00:00:16] What were the reasons for doing the PPM in this case?

Jo: [00:00:21] Mum kept missing appointments.

Interviewer: @whose-idea [00:00:25] And whose idea was it?

Jo: [00:00:28] Mine, really.
`);
    const report = JSON.parse(run(['report', 'study', '--format', 'json'], dir).stdout) as { guides: { transcripts: { participant: string; cells: Record<string, string> }[] }[] };
    const cells = report.guides[0].transcripts[0].cells;
    assert.deepEqual(Object.keys(cells).filter((q) => cells[q] === 'asked').sort(), ['job-title', 'reasons', 'whose-idea']);

    // Without a guide to follow, nothing can be suggested: said before anything is written.
    const none = tempFolder('tc-import-');
    writeFileSync(path.join(none, 'SW31.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hello.\n');
    const refused = run(['import', 'transcript', 'SW31.vtt', '--suggest-markers'], none);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /question markers are suggested from an interview guide, and there is no guide/);
    assert.equal(existsSync(path.join(none, 'SW31.transcript')), false);
  });

  it('leaves an existing transcript alone without --force, says which and why, and exits 1; --force replaces it', () => {
    const dir = emptyStudy();
    writeFileSync(path.join(dir, 'study/SW21.vtt'), TEAMS_VTT);
    writeFileSync(path.join(dir, 'study/SW21.transcript'), 'my own coding\n');
    const r = run(['import', 'transcript', 'study/SW21.vtt'], dir);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /error: study\/SW21\.vtt was not imported: SW21\.transcript already exists there and was left as it was \(add --force to replace it\)\./);
    assert.equal(readFileSync(path.join(dir, 'study/SW21.transcript'), 'utf8'), 'my own coding\n');
    const forced = run(['import', 'transcript', 'study/SW21.vtt', '--force'], dir);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(readFileSync(path.join(dir, 'study/SW21.transcript'), 'utf8'), /^---\nparticipant: SW21\n/);
  });

  it('names each file it cannot read, with no stack trace, and still imports the others', () => {
    const dir = emptyStudy();
    writeFileSync(path.join(dir, 'notes.pdf'), '%PDF-1.4');
    writeFileSync(path.join(dir, 'broken.docx'), 'not a zip at all');
    writeFileSync(path.join(dir, 'old.doc'), 'x');
    writeFileSync(path.join(dir, 'w.srt'), '1\n00:00:01,000 --> 00:00:02,000\nHello.\n');
    const r = run(['import', 'transcript', 'notes.pdf', 'broken.docx', 'old.doc', 'missing.vtt', 'w.srt'], dir);
    assert.equal(r.status, 1);
    assert.equal(r.stdout.split('\n')[0], 'Wrote w.transcript: 1 turn by Speaker (1).');
    assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes('error:')), [
      'transcript-coder: error: notes.pdf was not imported: Transcript Coder reads .docx, .vtt, .srt, .txt files, and this one is a .pdf file.',
      'transcript-coder: error: broken.docx was not imported: cannot read it: it cannot be read as a Word document (.docx); if it opens in Word, save it again as a .docx and import that.',
      'transcript-coder: error: old.doc was not imported: it is an old-style Word document (.doc): open it in Word and save it as a .docx, then import that.',
      'transcript-coder: error: missing.vtt was not imported: cannot read it: there is no such file.',
    ]);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
    assert.match(r.stderr, /note: w\.srt names no speaker/);
  });

  it('refuses a guide or role the study does not have before writing anything', () => {
    const dir = emptyStudy();
    writeFileSync(path.join(dir, 'study/a.vtt'), TEAMS_VTT);
    const guide = run(['import', 'transcript', 'study/a.vtt', '--guide', 'ppp-genral'], dir);
    assert.equal(guide.status, 1);
    assert.equal(guide.stderr, "transcript-coder: the study in study has no guide 'ppp-genral' (did you mean 'ppp-general'?)\n");
    const role = run(['import', 'transcript', 'study/a.vtt', '--guide', 'ppp-general', '--role', 'parent'], dir);
    assert.equal(role.stderr, "transcript-coder: the guide 'ppp-general' has no role 'parent': its roles are 'swr', 'tm'\n");
    assert.equal(existsSync(path.join(dir, 'study/a.transcript')), false);
    const bad = run(['import', 'transcript', 'study/a.vtt', '--speaker', 'Interviewer 1'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--speaker needs the label as the file writes it and the new label/);
  });
});

describe('import guide', () => {
  it('turns the seed guide, as text and as a Word document, into a guide that check accepts', async () => {
    const dir = tempFolder('tc-guide-');
    const lines = readFileSync(SEED, 'utf8').split('\n');
    writeFileSync(path.join(dir, 'general.txt'), lines.join('\n'));
    const paragraphs = lines.map((l, i) => (i === 0 ? new Paragraph({ text: l, heading: HeadingLevel.TITLE })
      : l.startsWith('EXTRA') ? new Paragraph({ text: l, heading: HeadingLevel.HEADING_1 })
      : l.startsWith('·') ? new Paragraph({ text: l.replace(/^·\s*/, ''), bullet: { level: 0 } })
      : new Paragraph({ text: l })));
    writeFileSync(path.join(dir, 'general word.docx'), await docx(paragraphs));

    const txt = run(['import', 'guide', 'general.txt', '-o', 'text/general.guide.yaml'], dir);
    assert.equal(txt.status, 1, 'the folder text/ does not exist');
    cpSync(path.join(dir, 'general.txt'), path.join(dir, 'text/general.txt'));
    const ok = run(['import', 'guide', 'text/general.txt'], dir);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, `Wrote ${path.join('text', 'general.guide.yaml')}: guide 'general' with 2 sections, 39 questions and 0 follow-ups.\n`);
    assert.equal(run(['check', 'text'], dir).status, 0);

    cpSync(path.join(dir, 'general word.docx'), path.join(dir, 'word/general word.docx'));
    const word = run(['import', 'guide', 'word/general word.docx', '-o', 'word/ppp.guide.yaml'], dir);
    assert.equal(word.status, 0, word.stderr);
    assert.match(word.stdout, /guide 'general-word' with 2 sections, 39 questions/);
    const check = run(['check', 'word'], dir);
    assert.equal(check.status, 0, check.stdout);
    assert.equal(check.stdout.trim(), 'No problems in 1 file.');
    const yaml = readFileSync(path.join(dir, 'word/ppp.guide.yaml'), 'utf8');
    assert.match(yaml, /title: Guide for ‘general interviews’ with social workers and team managers\n/);
    assert.match(yaml, /title: EXTRA QUESTIONS FOR TEAM MANAGERS\n/);

    const again = run(['import', 'guide', 'word/general word.docx', '-o', 'word/ppp.guide.yaml'], dir);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists and was left as it was: choose another name with -o, or add --force to replace it/);
  });
});
