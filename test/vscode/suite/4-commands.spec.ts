/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppliedDecorations } from '../../../client/src/decorations';
import { api, fileUri, open, positionOf, revert, waitFor } from './helpers';

function webviewTab(title: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === title);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** The folder the exports go to: a save dialog only offers folders that exist, so it is made first. */
async function makeOutFolder(): Promise<void> {
  await vscode.workspace.fs.createDirectory(fileUri('out'));
}

describe('The coverage report', () => {
  before(makeOutFolder);

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

  it('codes every selection in one edit', async () => {
    const editor = await open('scratch.transcript');
    const first = positionOf(editor.document, 'Team manager');
    const second = positionOf(editor.document, 'two students');
    editor.selections = [
      new vscode.Selection(first, first.translate(0, 'Team manager'.length)),
      new vscode.Selection(second, second.translate(0, 'two students'.length)),
    ];
    assert.equal(await vscode.commands.executeCommand('transcriptCoder.codeSelection', 'delay'), true);
    const text = editor.document.getText();
    assert.match(text, /R: \{Team manager\}#delay for the east team\./);
    assert.match(text, /and \{two students\}#delay\./);
    await vscode.commands.executeCommand('undo');
    assert.ok(!editor.document.getText().includes('#delay'), 'one undo takes both back');
  });

  it('offers the server\'s candidates in a pick list, codes linked to the question first', async () => {
    const { codeSelection } = await api();
    const editor = await open('a1.transcript');
    const start = positionOf(editor.document, 'It also made us write things down');
    editor.selection = new vscode.Selection(start, start.translate(0, 'It also made us write things down'.length));
    const filled = waitFor(codeSelection.onDidFillPick, () => true, 'the code pick list to fill');
    const ran = vscode.commands.executeCommand<boolean>('transcriptCoder.codeSelection');
    const pick = await filled;
    const codes = pick.items.map((i) => i.code);
    assert.deepEqual(new Set(codes.slice(0, 3)), new Set(['benefit', 'benefit/family', 'benefit/child']), `linked to @benefits first: ${codes.join(', ')}`);
    assert.ok(codes.includes('delay'), codes.join(', '));
    assert.ok(!codes.includes('old-delay'), 'a deprecated code is not offered');
    const family = pick.items.find((i) => i.code === 'benefit/family')!;
    assert.equal(family.label, 'benefit/family');
    assert.equal(family.description, 'Benefits for the family');
    assert.equal(family.detail, 'Parents get a last chance and legal advice.');
    // Typing in the list filters it; Enter takes the first match.
    const active = waitFor(pick.onDidChangeActive, (items) => items[0]?.code === 'delay', 'delay to be the active item');
    pick.value = 'delay';
    await active;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await ran, true);
    assert.match(editor.document.getText(), /\{It also made us write things down\}#delay\. #benefit/);
  });

  it('runs the server command as any LSP editor sends it', async () => {
    const editor = await open('scratch.transcript');
    const start = positionOf(editor.document, 'Eight social workers');
    const range = { start: { line: start.line, character: start.character }, end: { line: start.line, character: start.character + 'Eight'.length } };
    const candidates = await vscode.commands.executeCommand<{ code: string }[]>('transcriptCoder.codeSelection', { uri: editor.document.uri.toString(), range });
    assert.ok(Array.isArray(candidates) && candidates.some((c) => c.code === 'delay'), JSON.stringify(candidates));
    const result = await vscode.commands.executeCommand('transcriptCoder.codeSelection', { uri: editor.document.uri.toString(), range, code: 'delay' });
    assert.deepEqual(result, { applied: true });
    assert.match(editor.document.getText(), /R: \{Eight\}#delay social workers/);
  });

  it('refuses a selection that crosses a span\'s brace, and changes nothing', async () => {
    const editor = await open('a1.transcript');
    const before = editor.document.getText();
    const start = positionOf(editor.document, 'wake-up call');
    const end = positionOf(editor.document, 'the children');
    editor.selection = new vscode.Selection(start, end);
    assert.equal(await vscode.commands.executeCommand('transcriptCoder.codeSelection', 'delay'), false);
    assert.equal(editor.document.getText(), before);
  });
});

describe('Tinted coded passages', () => {
  afterEach(revert);

  /** The text under each tinted range, by colour, once the editor's tints are drawn for its current text. */
  async function tints(editor: vscode.TextEditor): Promise<Record<string, string[]>> {
    const { decorations } = await api();
    const current = (a: AppliedDecorations | undefined): a is AppliedDecorations =>
      a?.uri === editor.document.uri.toString() && a.version === editor.document.version;
    const applied = current(decorations.last) ? decorations.last
      : await waitFor(decorations.onDidApply, current, `the tints of ${path.basename(editor.document.uri.path)} version ${editor.document.version}`);
    return Object.fromEntries([...applied.ranges].map(([color, ranges]) => [color, ranges.map((r) => editor.document.getText(r))]));
  }

  it('tints each coded span with its code\'s colour, inherited from a parent', async () => {
    assert.deepEqual(await tints(await open('a1.transcript')), { '#2a9d8f': ['It gave mum a real wake-up call', 'the children got a plan'] });
    assert.deepEqual(await tints(await open('b2.transcript')), { '#e76f51': ['It all takes so long'] });
  });

  it('follows the text as it is typed', async () => {
    const editor = await open('a1.transcript');
    await tints(editor);
    await editor.edit((b) => b.insert(positionOf(editor.document, '{It gave mum'), 'Well, '));
    assert.deepEqual(await tints(editor), { '#2a9d8f': ['It gave mum a real wake-up call', 'the children got a plan'] });
  });
});

describe('Exports and new files', () => {
  before(makeOutFolder);

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
    // Deleted as the Explorer deletes, so that the editor lets go of the document at once (it keeps a
    // document an extension opened for a while otherwise) and the server stops seeing it.
    const closed = waitFor(vscode.workspace.onDidCloseTextDocument, (d) => d.uri.toString() === target.toString(), 'the new transcript to close');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(vscode.Uri.joinPath(target, '..'), { recursive: true });
    assert.ok(await vscode.workspace.applyEdit(edit));
    await closed;
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
