/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MemoNode } from '../../../client/src/memosView';
import { api, EXTENSION_ID, folder, waitFor } from './helpers';

function webviewTab(title: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === title);
}

/** The extension's own command-line tool, else the one built beside this suite (a .vsix carries none). */
function cli(...args: string[]): Buffer {
  const own = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  const file = existsSync(own) ? own : path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  return execFileSync(process.execPath, [file, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

describe('The Analysis page', () => {
  let out: string;
  before(() => { out = mkdtempSync(path.join(tmpdir(), 'transcript-coder-analysis-')); });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('opens in a webview tab with the table by question, under a strict Content Security Policy', async () => {
    const { analysis } = await api();
    const shown = webviewTab('Analysis') ? Promise.resolve() : waitFor(vscode.window.tabGroups.onDidChangeTabs, () => webviewTab('Analysis') !== undefined, 'the Analysis tab');
    await vscode.commands.executeCommand('transcriptCoder.showAnalysis', undefined, 'question');
    await shown;
    assert.ok(webviewTab('Analysis'), 'the Analysis tab');
    assert.deepEqual(analysis.matrix?.columns.map((c) => c.key), ['mini:experience', 'mini:benefits', 'mini:benefits-family', 'mini:worth-it']);
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(analysis.html)?.[1] ?? '').replace(/&#39;/g, "'");
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';$/);
    assert.equal(analysis.html.match(/<script/g)?.length, 1, 'one script: the page\'s own');
    assert.ok(!/ style="/.test(analysis.html), 'no style attribute, which the policy would block');
    // A heat map that is still a table: the fullest cell has the darkest shade.
    assert.match(analysis.html, /<td class="s5" data-row="0" data-column="1"[^>]*>3 \(1\)<\/td>/);
    for (const offered of ['Codes × transcripts', 'Codes × codes (occurring together)', 'Codes × role', 'Codes × site', 'site = Borough B']) {
      assert.ok(analysis.html.includes(offered), offered);
    }
  });

  it('lists a cell\'s passages, and opens the transcript at a passage when it is clicked', async () => {
    const { analysis } = await api();
    await vscode.commands.executeCommand('transcriptCoder.showAnalysis', undefined, 'question');
    const row = analysis.matrix!.rows.findIndex((r) => r.code === 'benefit');
    const column = analysis.matrix!.columns.findIndex((c) => c.key === 'mini:benefits');
    assert.deepEqual(analysis.matrix!.rows[row].cells['mini:benefits'], { segments: 3, transcripts: 1 });
    await analysis.receive({ command: 'cell', row, column });
    assert.deepEqual(analysis.passages.map((p) => `${p.participant} ${p.question} #${p.code}`).sort(), [
      'A1 benefits #benefit', 'A1 benefits #benefit/child', 'A1 benefits #benefit/family',
    ]);
    const family = analysis.passages.findIndex((p) => p.code === 'benefit/family');
    assert.equal(analysis.passages[family].excerpt, 'It gave mum a real wake-up call');
    await analysis.receive({ command: 'passage', index: family });
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.path, /a1\.transcript$/);
    assert.match(editor.document.getText(editor.selection), /It gave mum a real wake-up call/);
  });

  it('switches to another table in the page, with a filter and each code alone', async () => {
    const { analysis } = await api();
    await vscode.commands.executeCommand('transcriptCoder.showAnalysis');
    await analysis.receive({ command: 'table', by: 'site', exact: true, where: 'role=swr' });
    assert.deepEqual(analysis.table, { by: 'site', exact: true, where: { role: ['swr'] } });
    assert.deepEqual(analysis.matrix?.columns.map((c) => `${c.key} ${c.size}`), ['Borough A 1', 'Borough B 1']);
    const benefit = analysis.matrix!.rows.find((r) => r.code === 'benefit')!;
    assert.deepEqual(benefit.cells['Borough A'], { segments: 1, transcripts: 1 }, 'exact: the paragraph coded #benefit alone');
    assert.match(analysis.html, /<input type="checkbox" id="exact" checked>/);
    assert.match(analysis.html, /<option value="role=swr" selected>/);
  });

  it('exports the table shown as the command-line tool prints it, byte for byte', async () => {
    const { analysis } = await api();
    await vscode.commands.executeCommand('transcriptCoder.showAnalysis');
    await analysis.receive({ command: 'table', by: 'code', exact: false, where: '' });
    const csv = vscode.Uri.file(path.join(out, 'codes.csv'));
    await vscode.commands.executeCommand('transcriptCoder.exportAnalysis', 'csv', csv);
    assert.ok(readFileSync(csv.fsPath).equals(cli('matrix', folder().uri.fsPath, '--by', 'code', '--format', 'csv', '--bom')), 'the CSV differs from the CLI\'s');
    const md = vscode.Uri.file(path.join(out, 'codes.md'));
    await vscode.commands.executeCommand('transcriptCoder.exportAnalysis', 'md', md);
    assert.ok(readFileSync(md.fsPath).equals(cli('matrix', folder().uri.fsPath, '--by', 'code', '--format', 'md')), 'the Markdown differs from the CLI\'s');
    assert.match(readFileSync(md.fsPath, 'utf8'), /^# Codes that occur together/);
  });
});

describe('The Memos view', () => {
  it('lists every memo under its transcript, with its question and codes, and opens it when clicked', async () => {
    const { memos } = await api();
    const top = await memos.getChildren();
    assert.deepEqual(top.map((n) => (n.kind === 'transcript' ? `${n.participant} ${n.file}` : n.kind)), ['<img src=x onerror=alert(1)> b2.transcript']);
    const [memo] = await memos.getChildren(top[0]);
    const item = memos.getTreeItem(memo as MemoNode);
    assert.equal(item.label, 'Compare with A1: is this delay, or the old code?');
    assert.equal(item.description, 'line 19 · @worth-it #old-delay');
    assert.match((item.tooltip as vscode.MarkdownString).value, /&lt;img src=x onerror=alert\\\(1\\\)&gt;|\\<img src=x onerror=alert\\\(1\\\)\\>/);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.match(editor.document.uri.path, /b2\.transcript$/);
    assert.equal(editor.document.getText(editor.selection), '%% Compare with A1: is this delay, or the old code? %%');
  });
});
