/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CoverageNode } from '../../../client/src/coverageView';
import { api, child, open, revert, rows, treeUntil, waitFor } from './helpers';

describe('The Codes view', () => {
  afterEach(async () => {
    const parts = await api();
    if (parts.codes.scope !== 'study') await vscode.commands.executeCommand('transcriptCoder.codes.showStudy');
  });

  it('lists the codebook tree with counts, parents showing totals', async () => {
    const { codes } = await api();
    const top = await rows(codes);
    assert.deepEqual(top.map((r) => `${r.row.label} ${r.row.description}`), [
      'benefit — 4 in 1',
      'delay — 1 in 1',
      'old-delay — 1 in 1 (deprecated)',
      'Not in codebook 1 code, 1 segment',
    ]);
    const benefit = top[0].node;
    const under = await rows(codes, benefit);
    assert.deepEqual(under.map((r) => `${r.row.label} ${r.row.description}`), [
      'family — 2 in 1',
      'child — 1 in 1',
      'A1 1 segment · a1.transcript',
    ]);
  });

  it('shows a code\'s definition in its tooltip and opens the codebook at it', async () => {
    const { codes } = await api();
    const benefit = await child(codes, undefined, 'benefit');
    const family = await child(codes, benefit.node, 'family');
    const tooltip = family.row.item.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /\*\*Benefits for the family\*\* `#benefit\/family`/);
    assert.match(tooltip.value, /Parents get a last chance and legal advice\\\./, 'the description, escaped for Markdown');
    assert.match(tooltip.value, /2 segments in 1 transcript/);
    // A dot in the colour the code inherits from benefit, as its passages are tinted.
    const icon = (family.row.item.iconPath as vscode.Uri).path;
    assert.match(icon, /^image\/svg\+xml;base64,/);
    assert.match(Buffer.from(icon.slice(icon.indexOf(',') + 1), 'base64').toString(), /fill="#2a9d8f"/);
    await vscode.commands.executeCommand('transcriptCoder.codes.goToDefinition', family.node);
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.path, /themes\.codebook\.yaml$/);
    assert.equal(editor.document.getText(editor.selection), 'family');
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /- id: family/);
  });

  it('puts codes that no codebook defines under "Not in codebook"', async () => {
    const { codes } = await api();
    const group = await child(codes, undefined, 'Not in codebook');
    assert.deepEqual((await rows(codes, group.node)).map((r) => r.row.label), ['emerging-theme']);
  });

  it('expands a code to transcripts and segments, and reveals a segment when clicked', async () => {
    const { codes } = await api();
    const benefit = await child(codes, undefined, 'benefit');
    const family = await child(codes, benefit.node, 'family');
    const a1 = await child(codes, family.node, 'A1');
    const segs = await rows(codes, a1.node);
    assert.deepEqual(segs.map((s) => s.row.label), [
      'It gave mum a real wake-up call',
      'R: They had a solicitor for the first time.',
    ]);
    const cmd = segs[0].row.item.command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.path, /a1\.transcript$/);
    assert.equal(editor.document.getText(editor.selection), 'It gave mum a real wake-up call');
  });

  it('switches between the whole study and the active file', async () => {
    const { codes } = await api();
    await open('b2.transcript');
    await vscode.commands.executeCommand('transcriptCoder.codes.showActiveFile');
    const top = await rows(codes);
    assert.deepEqual(top.map((r) => `${r.row.label} ${r.row.description}`), [
      'delay — 1 in 1',
      'old-delay — 1 in 1 (deprecated)',
      'Not in codebook 1 code, 1 segment',
    ]);
    await vscode.commands.executeCommand('transcriptCoder.codes.showStudy');
    assert.equal((await rows(codes))[0].row.label, 'benefit');
  });

  it('refreshes when the study changes, without being asked', async () => {
    const { codes } = await api();
    const editor = await open('scratch.transcript');
    const at = editor.document.getText().indexOf('Eight social workers');
    editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at));
    const delayShows = (text: string) => async () => (await child(codes, undefined, 'delay')).row.description === text;
    try {
      assert.equal(await vscode.commands.executeCommand('transcriptCoder.codeSelection', 'delay'), true);
      await treeUntil(codes, delayShows('— 2 in 2'), 'delay to show 2 in 2 after coding a paragraph');
    } finally {
      await revert();
    }
    await treeUntil(codes, delayShows('— 1 in 1'), 'delay to show 1 in 1 after the revert');
  });
});

describe('The Coverage view', () => {
  it('lists transcripts with asked/expected and a percentage', async () => {
    const { coverage } = await api();
    const top = await rows<CoverageNode>(coverage);
    assert.deepEqual(top.map((r) => `${r.row.label} ${r.row.description}`), [
      'A1 3/4 (75%)',
      '<img src=x onerror=alert(1)> 4/4 (100%)',
      'S1 2/5 (40%)',
    ]);
  });

  it('expands a transcript to its missing questions and opens the guide at one', async () => {
    const { coverage } = await api();
    const s1 = await child<CoverageNode>(coverage, undefined, 'S1');
    const missing = await rows(coverage, s1.node);
    assert.deepEqual(missing.map((r) => r.row.label), ['experience', 'benefits', 'worth-it']);
    const cmd = missing[2].row.item.command!;
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.path, /mini\.guide\.yaml$/);
    assert.equal(editor.document.getText(editor.selection), 'worth-it');
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /- id: worth-it/);
  });
});

describe('The status bar', () => {
  it('shows the active transcript\'s coverage as Guide asked/expected', async () => {
    const { status } = await api();
    const shows = async (text: RegExp) => {
      if (!text.test(status.item.text)) await waitFor(status.onDidUpdate, () => text.test(status.item.text), `the status bar to show ${text}`);
    };
    await open('a1.transcript');
    await shows(/Guide 3\/4$/);
    assert.equal((status.item.command as vscode.Command).command, 'transcriptCoder.showCoverageReport');
    await open('scratch.transcript');
    await shows(/Guide 2\/5$/);
  });
});

