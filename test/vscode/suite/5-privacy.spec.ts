/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, diagnosticsOf, EXTENSION_ID, fileUri, folder } from './helpers';

/** The extension's own command-line tool, else the one built beside this suite (see 5-exports.spec.ts). */
function cli(...args: string[]): Buffer {
  const own = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  const tool = existsSync(own) ? own : path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  return execFileSync(process.execPath, [tool, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

describe('Pseudonymisation in VS Code', () => {
  let out: string;
  const names = (): string => path.join(folder().uri.fsPath, 'names.private.yaml');
  const a1 = (): vscode.Uri => fileUri('a1.transcript');

  before(async () => {
    await api();
    out = mkdtempSync(path.join(tmpdir(), 'transcript-coder-privacy-'));
    // Written on disk as a researcher would: the server follows the new file through its watcher.
    writeFileSync(names(), 'Borough A: Borough X\nmum: the parent\n');
  });

  after(async () => {
    rmSync(names(), { force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('shows a warning on each listed name, with its pseudonym', async () => {
    const found = await diagnosticsOf(a1(), (ds) => ds.some((d) => d.code === 'identifying-name'), 'identifying-name on a1.transcript');
    const messages = found.filter((d) => d.code === 'identifying-name').map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
    assert.deepEqual(messages, [
      "4:6 'Borough A' is on the names list: replace it with the pseudonym 'Borough X'.",
      "14:12 'mum' is on the names list: replace it with the pseudonym 'the parent'.",
    ]);
    assert.equal(found.find((d) => d.code === 'identifying-name')!.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('exports a redacted REFI-QDA project, the command-line tool\'s bytes', async () => {
    await diagnosticsOf(a1(), (ds) => ds.some((d) => d.code === 'identifying-name'), 'the names list read');
    const target = vscode.Uri.file(path.join(out, 'redacted.qdpx'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('transcriptCoder.exportRefi', target, true);
    assert.equal(written?.toString(), target.toString());
    cli('export', 'refi', folder().uri.fsPath, '-o', path.join(out, 'cli.qdpx'), '--redact');
    assert.ok(readFileSync(target.fsPath).equals(readFileSync(path.join(out, 'cli.qdpx'))), 'the redacted exports differ');
    cli('export', 'refi', folder().uri.fsPath, '-o', path.join(out, 'plain.qdpx'));
    assert.ok(!readFileSync(target.fsPath).equals(readFileSync(path.join(out, 'plain.qdpx'))), 'the redacted export is the plain one');
  });

  it('Pseudonymise the Study replaces every listed name in the editor, and nothing else', async () => {
    const before = readFileSync(a1().fsPath, 'utf8');
    const result = await vscode.commands.executeCommand<{ replaced: number; applied: boolean } | undefined>('transcriptCoder.pseudonymiseStudy', undefined, true);
    assert.ok(result?.applied, 'the replacements were applied');
    const doc = await vscode.workspace.openTextDocument(a1());
    assert.equal(doc.getText(), before.replace('site: Borough A', 'site: Borough X').replace('gave mum a', 'gave the parent a'));
    await diagnosticsOf(a1(), (ds) => !ds.some((d) => d.code === 'identifying-name'), 'no identifying-name after pseudonymising');
    // Leave the study as it was for the other suites.
    for (const d of vscode.workspace.textDocuments.filter((x) => x.isDirty)) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
