/**
 * What the language server could not read, and what it says about it: links that lead outside the
 * study folder, folders and files that cannot be read. Observed over stdio from the real server
 * process, as a researcher would meet it: a line in the log for each, a warning once per scan naming
 * what could not be read, and an `unreadable-file` problem on each such file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileChangeType, MessageType, type PublishDiagnosticsParams, type ShowMessageParams } from 'vscode-languageserver-protocol';
import type { CoverageReport } from '../../server/src/protocol';
import { boundByPermissions, lockFolder } from '../host/helpers';
import { copyFixture, LspClient, removeStudy, SERVER, tempStudy, uriOf, writeFiles, type ClientOptions } from '../support/lspClient';

const clients: LspClient[] = [];
const folders: string[] = [];
const unlocks: (() => void)[] = [];
after(() => {
  for (const c of clients) c.kill();
  for (const unlock of unlocks) unlock();
  for (const f of folders) removeStudy(f);
});

async function start(options: ClientOptions): Promise<LspClient> {
  const c = await LspClient.start(options);
  clients.push(c);
  return c;
}

function study(extra: Record<string, string | Uint8Array> = {}): string {
  const dir = copyFixture('lsp-study');
  folders.push(dir);
  writeFiles(dir, extra);
  return dir;
}

/** A folder outside the study, holding a transcript whose text must never reach the server's output. */
function outside(): string {
  const dir = tempStudy({ 'secret.transcript': '---\nguide: visits\nparticipant: SECRET-PARTICIPANT\n---\nI: @job-title TOP SECRET WORDS\n' }, 'elsewhere');
  folders.push(dir);
  return dir;
}

/** A transcript saved as Windows-1252: `é` is the byte 0xE9. */
const LATIN1 = Buffer.from('---\nguide: visits\nparticipant: SW07\nrole: swr\n---\nI: @job-title Caf\xe9?\n', 'latin1');
const UTF8 = '---\nguide: visits\nparticipant: SW07\nrole: swr\n---\nI: @job-title Café? #zilch\n';

const messages = (client: LspClient): ShowMessageParams[] => client.notifications<ShowMessageParams>('window/showMessage');
const logged = (client: LspClient, pattern: RegExp): string[] => client.logs.map((l) => l.message).filter((m) => pattern.test(m));
const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));

/** Waits until the server has logged the end of `n` indexings. */
async function indexed(client: LspClient, n = 1): Promise<void> {
  await client.waitUntil(`indexing ${n}`, () => logged(client, /^Indexed \d+ study files/).length >= n);
}

describe('what the language server could not read', () => {
  it('logs each link leading outside the study once per scan, naming the link and nothing of what it leads to', async () => {
    const away = outside();
    const dir = study();
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.transcript'));
    symlinkSync(path.join(away, 'secret.transcript'), path.join(dir, 'notes.transcript'));
    symlinkSync(away, path.join(dir, 'shared'));
    symlinkSync('sw01.transcript', path.join(dir, 'again.transcript'));
    const client = await start({ folders: [dir], settings: { exclude: [] } });
    await indexed(client);
    const expected = [
      'notes.transcript: it is a link to a file outside the study folder, so it is not read.',
      'passwd.transcript: it is a link to a file outside the study folder, so it is not read.',
      'shared: it is a link to a folder outside the study folder, so nothing in it is read.',
    ];
    assert.deepEqual(logged(client, /outside the study folder/), expected);
    assert.deepEqual(logged(client, /^again\.transcript:/), ['again.transcript: it leads to sw01.transcript, which is read under that name.']);
    const everything = JSON.stringify([client.logs, client.received]);
    for (const secret of ['root:', '/etc/passwd', 'SECRET', away]) assert.equal(everything.includes(secret), false, `the server's output holds ${secret}`);
    // A link is no file the researcher failed to read: no warning pops up for it.
    assert.deepEqual(messages(client), []);
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    assert.deepEqual(report.guides[0].transcripts.map((t) => t.file), ['sw01.transcript', 'sw02.transcript']);

    // Each scan says it again, once: a new exclusion makes a new scan.
    client.settings = { exclude: ['drafts'] };
    await client.configurationChanged();
    await client.waitUntil('the second scan', () => logged(client, /outside the study folder/).length === 6);
    assert.deepEqual(logged(client, /outside the study folder/), [...expected, ...expected]);
    assert.equal(await client.stop(), 0);
  });

  it('shows a study file it cannot read: a warning once per scan, a line in the log, and an unreadable-file problem on the file', async () => {
    const dir = study({ 'sw07.transcript': LATIN1 });
    const client = await start({ folders: [dir], settings: { exclude: [] } });
    const sw07 = uriOf(path.join(dir, 'sw07.transcript'));
    const p = await client.waitForDiagnostics(sw07);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.source]), [['unreadable-file', 1, 0, 0, 'transcript-coder']]);
    assert.equal(p.diagnostics[0].message,
      'This file cannot be read: it is not UTF-8 text (byte 0xE9 at offset 67, line 6, as in a file saved as Windows-1252 or Latin-1): ' +
      'save it as UTF-8. It is left out of the study (its checks, codes, coverage and exports) until it can be read.');
    await client.waitUntil('the warning', () => messages(client).length === 1);
    assert.deepEqual(messages(client), [{
      type: MessageType.Warning,
      message: 'Transcript Coder could not read 1 study file in lsp-study: sw07.transcript. It is left out of checks, counts and reports ' +
        'until it can be read; the log says why (in VS Code: Output › Transcript Coder).',
    }]);
    assert.deepEqual(logged(client, /sw07/), ['Cannot read sw07.transcript: it is not UTF-8 text (byte 0xE9 at offset 67, line 6, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8.']);

    // Saved again as UTF-8, it is read, and the problem gives way to the file's own.
    writeFileSync(path.join(dir, 'sw07.transcript'), UTF8);
    await client.fileEvents([{ uri: sw07, type: FileChangeType.Changed }]);
    assert.deepEqual(codes(await client.waitForDiagnostics(sw07, (d) => !codes(d).includes('unreadable-file'))), ['missing-section', 'unasked-question', 'unknown-code']);
    // Broken again, it is shown again (one more line in the log; no warning outside a scan).
    writeFileSync(path.join(dir, 'sw07.transcript'), LATIN1);
    await client.fileEvents([{ uri: sw07, type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(sw07, (d) => codes(d).join() === 'unreadable-file');
    assert.equal(logged(client, /^Cannot read sw07/).length, 2);
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    assert.deepEqual(report.guides[0].transcripts.map((t) => t.file), ['sw01.transcript', 'sw02.transcript']);

    // The severity setting applies to it as to any problem; a new scan warns once more.
    client.settings = { exclude: ['drafts'], diagnostics: { severity: { 'unreadable-file': 'warning' } } };
    await client.configurationChanged();
    await client.waitForDiagnostics(sw07, (d) => d.diagnostics[0]?.severity === 2);
    await client.waitUntil('a warning for the new scan', () => messages(client).length === 2);
    client.settings = { exclude: ['drafts'], diagnostics: { severity: { 'unreadable-file': 'off' } } };
    await client.configurationChanged();
    await client.waitForDiagnostics(sw07, (d) => d.diagnostics.length === 0);

    // Deleted, it leaves no problem behind.
    client.settings = { exclude: ['drafts'] };
    await client.configurationChanged();
    await client.waitForDiagnostics(sw07, (d) => d.diagnostics.length === 1);
    rmSync(path.join(dir, 'sw07.transcript'));
    await client.fileEvents([{ uri: sw07, type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(sw07, (d) => d.diagnostics.length === 0);
    assert.equal(await client.stop(), 0);
  });

  it('notices an unreadable file mended on disk without a file event, when a client does not watch files', async () => {
    const dir = study({ 'sw07.transcript': LATIN1 });
    const client = await start({ folders: [dir], watchedFiles: false });
    const sw07 = uriOf(path.join(dir, 'sw07.transcript'));
    await client.waitForDiagnostics(sw07, (d) => codes(d).join() === 'unreadable-file');
    writeFileSync(path.join(dir, 'sw07.transcript'), UTF8);
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    assert.deepEqual(report.guides[0].transcripts.map((t) => t.file), ['sw01.transcript', 'sw02.transcript', 'sw07.transcript']);
    await client.waitForDiagnostics(sw07, (d) => codes(d).includes('unknown-code'));
    assert.equal(await client.stop(), 0);
  });

  it('names a folder it cannot read in the log and in the warning, and the study folder itself when that is the one', async () => {
    const dir = study({ 'site-b/sw05.transcript': UTF8, 'site-b/sw06.transcript': UTF8, 'sw07.transcript': LATIN1 });
    unlocks.push(lockFolder(path.join(dir, 'site-b')));
    const command = [...boundByPermissions(), SERVER, '--stdio'];
    const client = await start({ folders: [dir], command });
    await client.waitUntil('the warning', () => messages(client).length === 1);
    assert.equal(messages(client)[0].message,
      'Transcript Coder could not read 1 study file and 1 folder in lsp-study: the folder site-b and sw07.transcript. They are left out of ' +
      'checks, counts and reports until they can be read; the log says why (in VS Code: Output › Transcript Coder).');
    assert.deepEqual(logged(client, /^Cannot read/), [
      'Cannot read the folder site-b: you do not have permission to read it; the study files in it are left out.',
      'Cannot read sw07.transcript: it is not UTF-8 text (byte 0xE9 at offset 67, line 6, as in a file saved as Windows-1252 or Latin-1): save it as UTF-8.',
    ]);
    assert.equal(await client.stop(), 0);

    const locked = study();
    unlocks.push(lockFolder(locked));
    const other = await start({ folders: [locked], command });
    await other.waitUntil('the warning', () => messages(other).length === 1);
    assert.match(messages(other)[0].message, /^Transcript Coder could not read the study folder lsp-study: you do not have permission to read it\./);
    assert.equal(await other.stop(), 0);
  });

  it('takes in a folder moved into the study as a new scan would, judging links from the study folder', async () => {
    const dir = study({ 'raw/sw08.txt': '---\nguide: visits\nparticipant: SW08\nrole: swr\n---\nI: @job-title Hello? #zilch\n' });
    const client = await start({ folders: [dir] });
    await indexed(client);
    await client.waitUntil('watcher registration', () => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    // Moved in: a folder holding a transcript, a link to a text file of the study saved under another name, and a link out.
    const moved = path.join(dir, 'moved');
    mkdirSync(moved);
    writeFileSync(path.join(moved, 'sw09.transcript'), '---\nguide: visits\nparticipant: SW09\nrole: swr\n---\nI: @job-title Hi\n');
    symlinkSync('../raw/sw08.txt', path.join(moved, 'sw08.transcript'));
    symlinkSync('/etc/passwd', path.join(moved, 'passwd.transcript'));
    await client.fileEvents([{ uri: uriOf(moved), type: FileChangeType.Created }]);
    const sw08 = uriOf(path.join(moved, 'sw08.transcript'));
    assert.ok(codes(await client.waitForDiagnostics(sw08)).includes('unknown-code'));
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    assert.deepEqual(report.guides[0].transcripts.map((t) => t.file), ['moved/sw08.transcript', 'moved/sw09.transcript', 'sw01.transcript', 'sw02.transcript']);
    await client.waitUntil('the link out in the log', () => logged(client, /^moved\/passwd/).length > 0);
    assert.deepEqual(logged(client, /^moved\/passwd/), ['moved/passwd.transcript: it is a link to a file outside the study folder, so it is not read.']);
    assert.equal(readFileSync(path.join(moved, 'sw08.transcript'), 'utf8').includes('SW08'), true);
    assert.equal(await client.stop(), 0);
  });
});
