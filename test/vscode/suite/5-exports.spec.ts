/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, folder } from './helpers';

/**
 * The command-line tool of the extension under test: its own dist/cli.js, else (a packaged .vsix
 * carries no CLI) the one built beside this suite from the same sources.
 */
function cliPath(): string {
  const own = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  if (existsSync(own)) return own;
  // This suite is built into test/.generated/vscode/ of the repository.
  const built = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  if (!existsSync(built)) throw new Error(`no command-line tool at ${own} or ${built}: run npm run build`);
  return built;
}

/** Runs the CLI the way a researcher would, and gives back what it printed, as bytes. */
function cli(...args: string[]): Buffer {
  // In desktop VS Code the extension host is Electron, which runs a script as Node only when told to.
  return execFileSync(process.execPath, [cliPath(), ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
}

describe('Exports from the editor are the command-line tool\'s bytes', () => {
  let out: string;

  before(async () => {
    await api();
    // The server prefers open editors' text; the CLI reads the disk. They agree only on saved text.
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.path);
    assert.deepEqual(dirty, [], 'no unsaved editor when the comparison starts');
    out = mkdtempSync(path.join(tmpdir(), 'transcript-coder-exports-'));
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  const study = () => folder().uri.fsPath;
  const target = (name: string) => vscode.Uri.file(path.join(out, name));

  /** The bytes a VS Code command wrote to `name` in the output folder. */
  async function exported(command: string, name: string, ...before: unknown[]): Promise<Buffer> {
    const uri = target(name);
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(command, ...before, uri);
    assert.equal(written?.toString(), uri.toString(), `${command} wrote ${name}`);
    return readFileSync(uri.fsPath);
  }

  it('Export Study as REFI-QDA Project = export refi', async () => {
    const editor = await exported('transcriptCoder.exportRefi', 'editor.qdpx');
    cli('export', 'refi', study(), '-o', path.join(out, 'cli.qdpx'));
    assert.ok(editor.length > 0);
    assert.ok(editor.equals(readFileSync(path.join(out, 'cli.qdpx'))), 'the two .qdpx files differ');
  });

  it('Export Codebook as REFI-QDA Codebook = export qdc', async () => {
    const editor = await exported('transcriptCoder.exportCodebook', 'editor.qdc');
    cli('export', 'qdc', study(), '-o', path.join(out, 'cli.qdc'));
    assert.equal(editor.toString('utf8'), readFileSync(path.join(out, 'cli.qdc'), 'utf8'));
    assert.ok(editor.equals(readFileSync(path.join(out, 'cli.qdc'))));
  });

  it('Export Coverage Report as CSV = report --format csv --bom', async () => {
    const editor = await exported('transcriptCoder.exportCoverage', 'editor-coverage.csv', 'csv');
    const printed = cli('report', study(), '--format', 'csv', '--bom');
    assert.equal(editor.toString('utf8'), printed.toString('utf8'));
    assert.ok(editor.equals(printed));
    assert.deepEqual([...editor.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with a byte-order mark');
  });

  it('Export Coverage Report as Markdown = report --format md', async () => {
    const editor = await exported('transcriptCoder.exportCoverage', 'editor-coverage.md', 'md');
    const printed = cli('report', study(), '--format', 'md');
    assert.equal(editor.toString('utf8'), printed.toString('utf8'));
    assert.ok(editor.equals(printed));
  });

  it('Export Coded Segments as CSV = codes --segments --format csv --bom', async () => {
    const editor = await exported('transcriptCoder.exportSegments', 'editor-segments.csv');
    const printed = cli('codes', study(), '--segments', '--format', 'csv', '--bom');
    assert.equal(editor.toString('utf8'), printed.toString('utf8'));
    assert.ok(editor.equals(printed));
  });

  it('Import REFI-QDA Codebook = import qdc', async () => {
    const qdc = path.join(out, 'source.qdc');
    cli('export', 'qdc', study(), '-o', qdc);
    const editor = await exported('transcriptCoder.importCodebook', 'editor.codebook.yaml', vscode.Uri.file(qdc));
    cli('import', 'qdc', qdc, '-o', path.join(out, 'cli.codebook.yaml'));
    assert.equal(editor.toString('utf8'), readFileSync(path.join(out, 'cli.codebook.yaml'), 'utf8'));
  });

  it('never replaces a file it was handed without being told to', async () => {
    const uri = target('taken.csv');
    writeFileSync(uri.fsPath, 'my own notes\n');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('transcriptCoder.exportSegments', uri);
    assert.equal(written, undefined);
    assert.equal(readFileSync(uri.fsPath, 'utf8'), 'my own notes\n');
  });
});
