/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, fileUri, open, positionOf, revert, waitFor } from './helpers';

function webviewTab(title: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === title);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

describe('The coverage report', () => {
  it('opens in a webview tab', async () => {
    await api();
    const shown = webviewTab('Coverage report') ? Promise.resolve() : waitFor(vscode.window.tabGroups.onDidChangeTabs, () => webviewTab('Coverage report') !== undefined, 'the report tab');
    await vscode.commands.executeCommand('transcriptCoder.showCoverageReport');
    await shown;
    assert.ok(webviewTab('Coverage report'));
  });

  it('holds the question × transcript matrix under a strict Content Security Policy', async () => {
    const { report } = await api();
    await vscode.commands.executeCommand('transcriptCoder.showCoverageReport');
    const html = report.html;
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'");
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';$/);
    for (const text of ['Mini study guide', 'Views on the process', 'Is it worth it overall?', 'S1', 'Export CSV']) assert.ok(html.includes(text), text);
  });

  it('shows a participant called <img src=x onerror=alert(1)> as text', async () => {
    const { report } = await api();
    await vscode.commands.executeCommand('transcriptCoder.showCoverageReport');
    assert.ok(report.html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!report.html.includes('<img'), 'no img element on the page');
    assert.equal(report.html.match(/<script/g)?.length, 1, 'one script: the page\'s own');
  });

  it('exports the report as CSV and as Markdown', async () => {
    await api();
    const csv = fileUri('out/coverage.csv');
    await vscode.commands.executeCommand('transcriptCoder.exportCoverage', 'csv', csv);
    const text = (await readText(csv)).replace(/^\uFEFF/, '');
    assert.match(text.split('\r\n')[0], /^guide,file,participant,role,/);
    assert.match(text, /mini,scratch\.transcript,S1,tm,/);
    const md = fileUri('out/coverage.md');
    await vscode.commands.executeCommand('transcriptCoder.exportCoverage', 'md', md);
    assert.match(await readText(md), /^# Coverage report/);
  });
});

describe('Coding a passage', () => {
  afterEach(revert);

  it('wraps the selection in braces and adds the chosen code', async () => {
    const editor = await open('scratch.transcript');
    const start = positionOf(editor.document, 'Eight social workers');
    editor.selection = new vscode.Selection(start, start.translate(0, 'Eight social workers'.length));
    assert.equal(await vscode.commands.executeCommand('transcriptCoder.codeSelection', 'benefit/child'), true);
    assert.match(editor.document.getText(), /R: \{Eight social workers\}#benefit\/child and two students\./);
  });

  it('codes the paragraph at the cursor when nothing is selected', async () => {
    const editor = await open('scratch.transcript');
    const at = positionOf(editor.document, 'east team');
    editor.selection = new vscode.Selection(at, at);
    assert.equal(await vscode.commands.executeCommand('transcriptCoder.codeSelection', 'delay'), true);
    assert.match(editor.document.getText(), /R: Team manager for the east team\. #delay\n/);
  });
});

describe('Exports and new files', () => {
  it('exports every coded segment as CSV', async () => {
    await api();
    const target = fileUri('out/segments.csv');
    await vscode.commands.executeCommand('transcriptCoder.exportSegments', target);
    const lines = (await readText(target)).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.equal(lines[0], 'file,participant,role,site,question,code,start line,end line,text');
    assert.equal(lines.length, 1 + 7, 'a header and seven segments');
    assert.ok(lines.includes('a1.transcript,A1,swr,Borough A,benefits,benefit/family,15,15,It gave mum a real wake-up call'), lines.join('\n'));
  });

  it('creates a new transcript with its front matter filled in', async () => {
    await api();
    const target = fileUri('new/sw09.transcript');
    await vscode.commands.executeCommand('transcriptCoder.newTranscript', { guide: 'mini', role: 'tm', participant: 'SW09', target });
    const text = await readText(target);
    assert.match(text, /^---\nguide: mini\nparticipant: SW09\nrole: tm\ndate: \d{4}-\d\d-\d\d\n---\n\nI: @job-title \nR: \n$/);
    assert.match(vscode.window.activeTextEditor!.document.uri.path, /sw09\.transcript$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(target, '..'), { recursive: true });
  });

  it('exports the study as a REFI-QDA project and the codebook as a .qdc that imports again', async () => {
    await api();
    const qdpx = fileUri('out/study.qdpx');
    await vscode.commands.executeCommand('transcriptCoder.exportRefi', qdpx);
    const zip = await vscode.workspace.fs.readFile(qdpx);
    assert.deepEqual([...zip.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip file');
    const qdc = fileUri('out/codebook.qdc');
    await vscode.commands.executeCommand('transcriptCoder.exportCodebook', qdc);
    assert.match(await readText(qdc), /<CodeBook[\s>][\s\S]*name="family"/);
    const back = fileUri('out/imported.yaml');
    await vscode.commands.executeCommand('transcriptCoder.importCodebook', qdc, back);
    const yaml = await readText(back);
    assert.match(yaml, /id: benefit/);
    assert.match(yaml, /id: family/);
  });

  it('copies the bundled example study into a chosen folder', async () => {
    await api();
    const parent = vscode.Uri.file(mkdtempSync(path.join(tmpdir(), 'example-study-')));
    try {
      const target = await vscode.commands.executeCommand<vscode.Uri>('transcriptCoder.openExampleStudy', parent, false);
      assert.equal(path.basename(target.fsPath), 'ppp-study');
      const names = (await vscode.workspace.fs.readDirectory(target)).map(([n]) => n);
      assert.ok(names.includes('ppp-general.guide.yaml') && names.includes('themes.codebook.yaml'), names.join(', '));
      assert.ok(names.filter((n) => n.endsWith('.transcript')).length >= 4, names.join(', '));
    } finally {
      await vscode.workspace.fs.delete(parent, { recursive: true });
    }
  });

  it('restarts the language server and answers again', async () => {
    const { study } = await api();
    await vscode.commands.executeCommand('transcriptCoder.restartServer');
    const rows = await study.codeCounts({});
    assert.ok(rows.some((r) => r.code === 'benefit/family'));
  });
});
