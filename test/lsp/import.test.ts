/**
 * The import commands over the real server (SPEC §12): `transcriptCoder.importTranscripts` and
 * `transcriptCoder.importGuide`, so that every editor can bring interviews and guides in. The server
 * writes what the CLI writes, and the study it serves picks the new transcript up.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResponseError } from 'vscode-languageserver-protocol';
import type { ImportGuideResult, ImportTranscriptsResult } from '../../server/src/protocol';
import { copyFixture, LspClient, REPO, removeStudy, tempStudy, uriOf } from '../support/lspClient';

const CLI = path.join(REPO, 'dist', 'cli.js');
const REFUSED = -32803;

async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as ResponseError<unknown>;
    return { code: e.code, message: e.message };
  }
  throw new Error('the command was not refused');
}

const VTT = 'WEBVTT\n\n1\n00:00:02.000 --> 00:00:05.000\nInterviewer 1: How did the visit go?\n\n2\n00:00:06.000 --> 00:00:09.000\nSam: Better than #last time {honestly}.\n';

describe('the import commands', () => {
  let dir: string;
  let inbox: string;
  let client: LspClient;

  before(async () => {
    dir = copyFixture('lsp-study');
    inbox = tempStudy({}, 'inbox');
    client = await LspClient.start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    removeStudy(dir);
    removeStudy(inbox);
  });

  it('imports a transcript into the study as the CLI does, and the server then checks it', async () => {
    writeFileSync(path.join(inbox, 'sw09.vtt'), VTT);
    const result = await client.executeCommand<ImportTranscriptsResult>('transcriptCoder.importTranscripts', {
      files: [uriOf(path.join(inbox, 'sw09.vtt'))], folder: uriOf(dir), guide: 'visits', role: 'swr', speakers: { 'Interviewer 1': 'I' },
    });
    const target = path.join(dir, 'sw09.transcript');
    assert.deepEqual(result, {
      written: [{
        source: uriOf(path.join(inbox, 'sw09.vtt')), written: uriOf(target), summary: 'Wrote sw09.transcript: 2 turns by I (1), Sam (1).',
        turns: 2, speakers: [{ label: 'I', turns: 1 }, { label: 'Sam', turns: 1 }], notes: [],
      }],
      skipped: [],
      notes: [],
    });
    const cliFolder = tempStudy({}, 'cli');
    try {
      writeFileSync(path.join(cliFolder, 'visits.guide.yaml'), readFileSync(path.join(dir, 'visits.guide.yaml')));
      execFileSync(process.execPath, [CLI, 'import', 'transcript', path.join(inbox, 'sw09.vtt'), '-o', cliFolder, '--guide', 'visits', '--role', 'swr', '--speaker', 'Interviewer 1=I'], { stdio: 'pipe' });
      assert.equal(readFileSync(target, 'utf8'), readFileSync(path.join(cliFolder, 'sw09.transcript'), 'utf8'));
    } finally {
      removeStudy(cliFolder);
    }
    await client.fileEvents([{ uri: uriOf(target), type: 1 }]);
    const published = await client.waitForDiagnostics(uriOf(target), (p) => p.diagnostics.length > 0);
    assert.ok(published.diagnostics.every((d) => d.severity !== 1), 'no errors in the imported transcript');
    assert.ok(published.diagnostics.some((d) => d.code === 'missing-section' || d.code === 'unasked-question'));
  });

  it('places question markers from the guide when asked, as the CLI does with --suggest-markers', async () => {
    writeFileSync(path.join(inbox, 'sw10.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nInterviewer: Tell me about your first home visit to this family.\n\n' +
      '00:00:05.000 --> 00:00:08.000\nSam: It was tense.\n\n00:00:09.000 --> 00:00:12.000\nInterviewer: Looking back, do you think the visit was worth it?\n\n' +
      '00:00:13.000 --> 00:00:15.000\nSam: Yes.\n');
    const result = await client.executeCommand<ImportTranscriptsResult>('transcriptCoder.importTranscripts', {
      files: [uriOf(path.join(inbox, 'sw10.vtt'))], folder: uriOf(dir), guide: 'visits', role: 'swr', suggestMarkers: true,
    });
    assert.deepEqual(result.written[0].notes, ['Question markers placed on 2 of the interviewer\'s 2 turns, where the guide\'s question was clear; check them, and mark the other turns with "Mark as question …" in the editor.']);
    const text = readFileSync(path.join(dir, 'sw10.transcript'), 'utf8');
    assert.match(text, /^Interviewer: @first-visit \[00:00:01\] Tell me about/m);
    assert.match(text, /^Interviewer: @worth-it \[00:00:09\] Looking back/m);
    const cliFolder = tempStudy({}, 'cli');
    try {
      writeFileSync(path.join(cliFolder, 'visits.guide.yaml'), readFileSync(path.join(dir, 'visits.guide.yaml')));
      execFileSync(process.execPath, [CLI, 'import', 'transcript', path.join(inbox, 'sw10.vtt'), '-o', cliFolder, '--guide', 'visits', '--role', 'swr', '--suggest-markers'], { stdio: 'pipe' });
      assert.equal(text, readFileSync(path.join(cliFolder, 'sw10.transcript'), 'utf8'));
    } finally {
      removeStudy(cliFolder);
    }
  });

  it('leaves an existing transcript alone unless forced, naming it, and refuses a guide the study does not have', async () => {
    writeFileSync(path.join(inbox, 'sw01.txt'), 'I: Hello\nR: Hi\n');
    const source = uriOf(path.join(inbox, 'sw01.txt'));
    const before = readFileSync(path.join(dir, 'sw01.transcript'), 'utf8');
    const result = await client.executeCommand<ImportTranscriptsResult>('transcriptCoder.importTranscripts', { files: [source], folder: uriOf(dir) });
    assert.deepEqual(result.written, []);
    assert.deepEqual(result.skipped, [{ source, reason: 'Sw01.txt was not imported: sw01.transcript already exists there and was left as it was (add --force to replace it).' }]);
    assert.equal(readFileSync(path.join(dir, 'sw01.transcript'), 'utf8'), before);
    const guide = await refusal(client.executeCommand('transcriptCoder.importTranscripts', { files: [source], folder: uriOf(dir), guide: 'vists' }));
    assert.equal(guide.code, REFUSED);
    assert.match(guide.message, /has no guide 'vists' \(did you mean 'visits'\?\)/);
    const none = await refusal(client.executeCommand('transcriptCoder.importTranscripts', { files: [] }));
    assert.match(none.message, /needs the files to read/);
  });

  it('imports a guide written in Markdown beside it, and refuses to replace it unless told to', async () => {
    const md = path.join(inbox, 'parents.md');
    writeFileSync(md, '# Parents\n\n## The meeting\n\n- [P1] Who came?\n  - Did you bring anyone?\n- [P2] How did it feel?\n');
    const result = await client.executeCommand<ImportGuideResult>('transcriptCoder.importGuide', { source: uriOf(md) });
    assert.deepEqual(result, {
      written: uriOf(path.join(inbox, 'parents.guide.yaml')),
      summary: "Wrote parents.guide.yaml: guide 'parents' with 1 section, 2 questions and 1 follow-up.",
      notes: [
        '1 of 3 questions had no number of their own and got IDs made from their words: check them, since transcripts will use them as markers (@id).',
        'Roles (such as questions only for team managers) cannot be read from a document: add them by hand where the guide has them.',
      ],
    });
    assert.match(readFileSync(path.join(inbox, 'parents.guide.yaml'), 'utf8'), /- id: P1\n {8}text: Who came\?/);
    const again = await refusal(client.executeCommand('transcriptCoder.importGuide', { source: uriOf(md) }));
    assert.equal(again.code, REFUSED);
    assert.match(again.message, /parents\.guide\.yaml already exists/);
  });
});
