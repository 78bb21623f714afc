/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeEditorsOf, diagnosticsOf, fileUri, open, positionOf } from './helpers';

/** "Mark as question …" (SPEC §12) through the editor's own code-action provider, as the light bulb asks for it. */
describe('Mark as question in the editor', () => {
  const name = 'markers-sw9.transcript';
  const TEXT = `---
guide: mini
participant: SW9
role: swr
---

I: @job-title What is your job title?
R: Social worker, in the assessment team.

I: And how long have you worked in child protection, all together?
R: Six years.
`;

  before(async () => {
    await api();
    await vscode.workspace.fs.writeFile(fileUri(name), new TextEncoder().encode(TEXT));
  });

  after(async () => {
    await closeEditorsOf([fileUri(name)]);
    await vscode.workspace.fs.delete(fileUri(name));
  });

  it('offers the guide questions on an unmarked interviewer turn, and choosing one inserts only its marker', async () => {
    const editor = await open(name);
    const uri = editor.document.uri;
    // The server knows the new transcript once it reports what it lacks.
    await diagnosticsOf(uri, (d) => d.some((x) => x.code === 'unasked-question' && /experience/.test(x.message)), 'the unasked experience question of the new transcript');
    const at = positionOf(editor.document, 'And how long', 4);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
    const marks = actions.filter((a) => a.title.startsWith('Mark as question'));
    assert.equal(marks.length, 3, marks.map((a) => a.title).join(' | '));
    assert.equal(marks[0].title, 'Mark as question experience: How long have you worked in child protection?');
    assert.ok(await vscode.workspace.applyEdit(marks[0].edit!));
    assert.equal(editor.document.getText(), TEXT.replace('I: And how long', 'I: @experience And how long'));
    // On the marked turn now, nothing more is offered.
    await diagnosticsOf(uri, (d) => !d.some((x) => x.code === 'unasked-question' && /experience/.test(x.message)), 'the experience question counted as asked');
    const again = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
    assert.deepEqual(again.filter((a) => a.title.startsWith('Mark as question')).map((a) => a.title), []);
  });
});
