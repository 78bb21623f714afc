/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, diagnosticsOf, fileUri, hoverText, open, positionOf } from './helpers';

describe('Language server features in the editor', () => {
  before(async () => { await api(); });

  it('shows an unasked question as a warning on the guide: line', async () => {
    const editor = await open('a1.transcript');
    const diags = await diagnosticsOf(editor.document.uri, (d) => d.some((x) => x.code === 'unasked-question'), 'the unasked-question diagnostic of a1.transcript');
    const d = diags.find((x) => x.code === 'unasked-question')!;
    assert.equal(d.source, 'transcript-coder');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /worth-it/);
    assert.equal(d.range.start.line, 1, 'on the guide: line');
  });

  it('flags a code that is not in the codebook, covering the whole token', async () => {
    const editor = await open('b2.transcript');
    const diags = await diagnosticsOf(editor.document.uri, (d) => d.some((x) => x.code === 'unknown-code'), 'the unknown-code diagnostic of b2.transcript');
    const d = diags.find((x) => x.code === 'unknown-code')!;
    assert.equal(editor.document.getText(d.range), '#emerging-theme');
  });

  it('reports problems of transcripts that are not open', async () => {
    // The study is indexed at start: the scratch transcript's missing section is known without opening it.
    const diags = await diagnosticsOf(fileUri('scratch.transcript'), (d) => d.some((x) => x.code === 'missing-section'), 'the missing-section diagnostic of scratch.transcript');
    assert.ok(diags.some((x) => x.code === 'unasked-question' && /experience/.test(x.message)));
  });

  it('hovers a code with its label, definition, linked question and usage', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '#benefit/family', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /Benefits for the family/);
    assert.match(text, /Parents get a last chance/);
    assert.match(text, /What are the benefits of the pre-proceedings process\?/, 'the question linked through its parent');
    assert.match(text, /2 segments in 1 transcript/);
  });

  it('hovers a question marker with the question text', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '@benefits ', 2);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos));
    assert.match(text, /What are the benefits of the pre-proceedings process\?/);
  });

  it('completes code paths after #', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '#benefit\n', 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos, '#');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const code of ['benefit/family', 'benefit/child', 'delay']) assert.ok(labels.includes(code), `${code} among ${labels.join(', ')}`);
  });

  it('completes question IDs after @', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '@experience', 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos, '@');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('worth-it'), `worth-it among ${labels.join(', ')}`);
  });

  it('renames a code across the codebook and the transcripts', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '#benefit/family', 10);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', editor.document.uri, pos, 'kin');
    const files = edit.entries().map(([uri]) => uri.path.slice(uri.path.lastIndexOf('/') + 1)).sort();
    assert.deepEqual(files, ['a1.transcript', 'themes.codebook.yaml']);
    const inTranscript = edit.get(editor.document.uri);
    assert.equal(inTranscript.length, 2, 'both uses of #benefit/family');
    for (const e of inTranscript) assert.equal(editor.document.getText(e.range).replace(/^benefit\//, ''), 'family');
  });

  it('goes from a question marker to the question in the guide', async () => {
    const editor = await open('a1.transcript');
    const pos = positionOf(editor.document, '@experience', 2);
    const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, pos);
    assert.equal(locs.length, 1);
    const uri = 'targetUri' in locs[0] ? locs[0].targetUri : locs[0].uri;
    assert.match(uri.path, /mini\.guide\.yaml$/);
  });
});
