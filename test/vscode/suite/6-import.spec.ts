/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import * as vscode from 'vscode';
import type { ImportGuideResult, ImportTranscriptsResult } from '../../../server/src/protocol';
import { api, closeEditorsOf, diagnosticsOf, folder } from './helpers';

/** Importing interviews and a guide from the editor: the transcripts are written into the study and checked there. */
describe('Import Interviews and Import Interview Guide', () => {
  let inbox: string;
  const written: string[] = [];

  before(async () => {
    await api();
    inbox = mkdtempSync(path.join(tmpdir(), 'transcript-coder-inbox-'));
  });

  after(async () => {
    await closeEditorsOf(written.map((f) => vscode.Uri.file(f)));
    rmSync(inbox, { recursive: true, force: true });
    for (const f of written) rmSync(f, { force: true });
  });

  it('imports a Teams .vtt and a Word document; the transcripts are written, opened and checked by the server', async () => {
    writeFileSync(path.join(inbox, 'sw30.vtt'), 'WEBVTT\n\n1\n00:00:02.000 --> 00:00:05.000\n<v Interviewer 1>What is your job title?</v>\n\n2\n00:00:06.000 --> 00:00:09.000\n<v Sam>Team manager, {two} years &amp; #counting.</v>\n');
    writeFileSync(path.join(inbox, 'tm31.docx'), await Packer.toBuffer(new Document({ sections: [{ children: [
      new Paragraph({ text: 'Interviewer: How long have you worked in child protection?' }),
      new Paragraph({ text: 'TM31: Eleven years.' }),
    ] }] })));
    const args = {
      files: [vscode.Uri.file(path.join(inbox, 'sw30.vtt')).toString(), vscode.Uri.file(path.join(inbox, 'tm31.docx')).toString()],
      folder: folder().uri.toString(), guide: 'mini', role: 'swr', speakers: { 'Interviewer 1': 'I' },
    };
    const result = await vscode.commands.executeCommand<ImportTranscriptsResult>('transcriptCoder.importTranscripts', args);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.written.map((w) => w.summary), ['Wrote sw30.transcript: 2 turns by I (1), Sam (1).', 'Wrote tm31.transcript: 2 turns by Interviewer (1), TM31 (1).']);
    for (const w of result.written) written.push(vscode.Uri.parse(w.written).fsPath);
    const sw30 = vscode.Uri.joinPath(folder().uri, 'sw30.transcript');
    assert.ok(existsSync(sw30.fsPath));
    assert.match(readFileSync(sw30.fsPath, 'utf8'), /\nSam: \[00:00:06\] Team manager, \\\{two\\\} years & \\#counting\.\n$/);

    for (const name of ['sw30.transcript', 'tm31.transcript']) {
      const uri = vscode.Uri.joinPath(folder().uri, name);
      await vscode.window.showTextDocument(uri);
      const diagnostics = await diagnosticsOf(uri, (d) => d.some((x) => x.code === 'missing-section'), `the server's check of ${name}`);
      assert.deepEqual(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), [], `${name} has no error`);
    }
  });

  it('leaves an existing transcript alone unless told to replace it', async () => {
    const source = vscode.Uri.file(path.join(inbox, 'sw30.vtt')).toString();
    const again = await vscode.commands.executeCommand<ImportTranscriptsResult>('transcriptCoder.importTranscripts', { files: [source], folder: folder().uri.toString() });
    assert.deepEqual(again.written, []);
    assert.match(again.skipped[0].reason, /sw30\.transcript already exists there and was left as it was/);
  });

  it('imports a guide written in Markdown', async () => {
    const md = path.join(inbox, 'parents.md');
    writeFileSync(md, '# Parents\n\n## The meeting\n\n- [P1] Who came?\n- [P2] How did it feel?\n');
    const target = path.join(inbox, 'parents.guide.yaml');
    const result = await vscode.commands.executeCommand<ImportGuideResult>('transcriptCoder.importGuide', { source: vscode.Uri.file(md).toString(), target: vscode.Uri.file(target).toString() });
    assert.equal(result.summary, "Wrote parents.guide.yaml: guide 'parents' with 1 section, 2 questions and 0 follow-ups.");
    assert.match(readFileSync(target, 'utf8'), /- id: P2\n {8}text: How did it feel\?/);
  });
});
