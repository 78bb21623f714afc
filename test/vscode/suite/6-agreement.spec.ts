/// <reference types="mocha" />
/**
 * Compare Coders in real VS Code: two folders, and the workspace's study against a git branch. The figures
 * the page shows are those `transcript-coder agree … --format json` prints for the same copies, and a click
 * on a disagreement opens a diff editor on both copies with the passage selected.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementReport } from '../../../server/src/protocol';
import { api, EXTENSION_ID, folder, waitFor } from './helpers';

/** The copies' transcripts: only `*.transcript` and the guide and codebook, not what other tests wrote. */
function copyStudy(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) && !src.includes(`${path.sep}.vscode`) });
}

/** The extension's own dist/cli.js, else (a packaged .vsix carries no CLI) the one built beside this suite. */
function cliPath(): string {
  const own = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  return existsSync(own) ? own : path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
}

function cliJson(args: string[], cwd: string): AgreementReport {
  const cli = cliPath();
  return JSON.parse(execFileSync(process.execPath, [cli, 'agree', ...args, '--format', 'json'], { cwd, encoding: 'utf8' })) as AgreementReport;
}

/** The figures of a report without the names of its copies, which the CLI and the editor write differently. */
function figures(r: AgreementReport): Omit<AgreementReport, 'a' | 'b'> {
  const { a: _a, b: _b, ...rest } = r;
  return rest;
}

/** The row the page shows for a code, as text: `Both Only-A Only-B Neither Agreement Kappa Alpha`. */
function shownRow(html: string, code: string): string {
  const row = new RegExp(`<tr class="[a-z]+" data-code="${code.replace(/\//g, '\\/')}">(.*?)</tr>`).exec(html)?.[1];
  assert.ok(row, `no row for ${code}`);
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]).join(' ');
}

const stat = (k: number | null): string => (k === null ? '—' : k.toFixed(3));
const pct = (p: number | null): string => (p === null ? '—' : `${p.toFixed(1)}%`);

function diffTab(): vscode.TabInputTextDiff | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputTextDiff ? tab.input : undefined;
}

/** Clicks disagreement `index` as the page does (its message), and resolves once a diff editor shows it. */
async function openDisagreement(index: number, right: (u: vscode.Uri) => boolean): Promise<vscode.TabInputTextDiff> {
  const { agreement } = await api();
  const shown = waitFor(vscode.window.tabGroups.onDidChangeTabs, () => diffTab() !== undefined && right(diffTab()!.modified), 'the diff editor');
  await agreement.handleMessage({ command: 'open', index });
  if (!(diffTab() && right(diffTab()!.modified))) await shown;
  return diffTab()!;
}

describe('Compare Coders', () => {
  const temp: string[] = [];
  after(() => {
    for (const t of temp) rmSync(t, { recursive: true, force: true });
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('compares the study with another coder\'s folder: the CLI\'s figures, and a diff editor on both copies', async () => {
    const { agreement } = await api();
    const mine = folder().uri.fsPath;
    const other = mkdtempSync(path.join(tmpdir(), 'tc-coder-b-'));
    temp.push(other);
    copyStudy(mine, other);
    // Coder B did not code the wake-up call as benefit/family, and coded the job title as a benefit.
    const a1 = readFileSync(path.join(other, 'a1.transcript'), 'utf8');
    const theirs = a1.replace('{It gave mum a real wake-up call}#benefit/family', 'It gave mum a real wake-up call')
      .replace('R: I am a senior social worker.', 'R: {I am a senior social worker.}#benefit');
    assert.notEqual(theirs, a1);
    writeFileSync(path.join(other, 'a1.transcript'), theirs);

    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel | undefined>('transcriptCoder.compareCoders', { other: vscode.Uri.file(other), unit: 'character' });
    assert.ok(panel, 'the agreement page opened');
    assert.equal(panel.title, 'Agreement between coders');
    const printed = cliJson([mine, other], mine);
    const shown = agreement.report!;
    assert.deepEqual(figures(shown), figures(printed));
    assert.ok(shown.codes.length >= 3);
    for (const c of printed.codes) {
      assert.equal(shownRow(agreement.html, c.code), `${c.both} ${c.onlyA} ${c.onlyB} ${c.neither} ${pct(c.percent)} ${stat(c.kappa)} ${stat(c.alpha)}`, c.code);
    }
    assert.ok(agreement.html.includes(`<span class="value" id="overall-kappa">${stat(printed.overall.kappa)}</span>`));
    assert.match(agreement.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';">/);
    assert.equal(agreement.html.match(/<script/g)?.length, 1, 'one script: the page\'s own');
    assert.deepEqual(printed.disagreements.map((d) => `${d.file} ${d.code} ${d.coder}`), ['a1.transcript benefit B', 'a1.transcript benefit/family A']);

    const famIndex = printed.disagreements.findIndex((d) => d.code === 'benefit/family');
    const diff = await openDisagreement(famIndex, (u) => u.scheme === 'transcript-coder-rev' && u.path.endsWith('/a1.transcript'));
    assert.equal(diff.original.fsPath, path.join(mine, 'a1.transcript'));
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), diff.modified.toString());
    assert.equal(editor.document.getText(), theirs, 'the right-hand copy is coder B\'s file');
    assert.equal(editor.document.getText(editor.selection), 'It gave mum a real wake-up call');
    // Coder A's copy, on the left, has the passage selected too.
    const left = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === diff.original.toString());
    assert.ok(left, 'coder A\'s copy is shown');
    assert.equal(left.document.getText(left.selection), 'It gave mum a real wake-up call');
  });

  it('compares the study with a git branch of its repository, reading the branch through the server', async () => {
    const { agreement } = await api();
    const repo = mkdtempSync(path.join(tmpdir(), 'tc-coders-git-'));
    temp.push(repo);
    const study = path.join(repo, 'study');
    copyStudy(folder().uri.fsPath, study);
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'coder-a');
    git('config', 'user.email', 'a@example.org');
    git('config', 'user.name', 'A');
    git('add', '-A');
    git('commit', '-q', '-m', 'coder A');
    git('checkout', '-q', '-b', 'coder-b');
    const b2 = readFileSync(path.join(study, 'b2.transcript'), 'utf8');
    const codedLine = b2.split('\n').find((l) => l.startsWith('R: ') && !l.includes('#') && l.length > 12);
    assert.ok(codedLine, 'b2.transcript has an uncoded answer');
    const passage = codedLine.slice(3).trim();
    const theirs = b2.replace(codedLine, `R: {${passage}}#delay`);
    writeFileSync(path.join(study, 'b2.transcript'), theirs);
    git('commit', '-q', '-am', 'coder B');
    git('checkout', '-q', 'coder-a');

    const choices = await agreement.otherChoices(vscode.Uri.file(study));
    assert.deepEqual(choices.map((c) => c.label), ['$(folder) Another folder…', 'Git branches', '$(git-branch) coder-a', '$(git-branch) coder-b']);

    await vscode.commands.executeCommand('transcriptCoder.compareCoders', { folder: vscode.Uri.file(study), revision: 'coder-b', unit: 'paragraph' });
    const printed = cliJson(['--git', 'coder-a', 'coder-b', '--unit', 'paragraph'], study);
    assert.deepEqual(figures(agreement.report!), figures(printed));
    assert.deepEqual(printed.disagreements.map((d) => `${d.file} ${d.code} ${d.coder}`), ['b2.transcript delay B']);
    assert.equal(shownRow(agreement.html, 'delay'), (({ both, onlyA, onlyB, neither, percent, kappa, alpha }) =>
      `${both} ${onlyA} ${onlyB} ${neither} ${pct(percent)} ${stat(kappa)} ${stat(alpha)}`)(printed.codes.find((c) => c.code === 'delay')!));
    assert.ok(agreement.html.includes('branch coder-b (last commit)'));

    const diff = await openDisagreement(0, (u) => u.scheme === 'transcript-coder-rev');
    assert.equal(diff.original.fsPath, path.join(study, 'b2.transcript'));
    const right = await vscode.workspace.openTextDocument(diff.modified);
    assert.equal(right.getText(), theirs, 'the right-hand copy is the branch\'s file');
    assert.equal(right.languageId, 'transcript');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), diff.modified.toString());
    assert.ok(editor.document.getText(editor.selection).includes(passage), 'the passage is selected in the branch\'s copy');
  });
});
