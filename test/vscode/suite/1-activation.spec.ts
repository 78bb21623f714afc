/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, open } from './helpers';

describe('Activation', () => {
  it('activates on a study folder and hands back its views', async () => {
    await open('a1.transcript');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const parts = await api();
    assert.equal(ext.isActive, true);
    assert.ok(parts.codes && parts.coverage && parts.report && parts.study);
  });

  it('reads *.transcript files as the transcript language', async () => {
    const editor = await open('a1.transcript');
    assert.equal(editor.document.languageId, 'transcript');
  });

  it('registers every command it contributes', async () => {
    await api();
    const contributed: { command: string }[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    for (const id of ['transcriptCoder.showCoverageReport', 'transcriptCoder.exportCoverage', 'transcriptCoder.exportSegments',
      'transcriptCoder.codeSelection', 'transcriptCoder.newTranscript', 'transcriptCoder.restartServer']) {
      assert.ok(registered.has(id), `${id} is registered`);
    }
  });
});
