/**
 * The language server's diagnostics, settings, file following and indexing,
 * observed over stdio from the real server process (dist/server.js).
 *
 * Diagnostics are rendered as `line:character code "covered text"` (0-based, as
 * LSP counts), the covered text read from the file the client would show.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams, WorkDoneProgressBegin, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, removeStudy, tempStudy, textAt, uriOf, writeFiles, type ClientOptions } from '../support/lspClient';

const clients: LspClient[] = [];
const folders: string[] = [];
after(() => {
  for (const c of clients) c.kill();
  for (const f of folders) removeStudy(f);
});

async function start(options: ClientOptions): Promise<LspClient> {
  const c = await LspClient.start(options);
  clients.push(c);
  return c;
}

function study(): string {
  const dir = copyFixture('lsp-study');
  folders.push(dir);
  return dir;
}

function render(p: PublishDiagnosticsParams, text: string): string[] {
  return p.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} "${textAt(text, d.range)}"`);
}

const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const read = (dir: string, rel: string): string => readFileSync(path.join(dir, rel), 'utf8');

describe('diagnostics over LSP', () => {
  it('publishes every problem of files that are not open, with source, code, range and related information', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const p = await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    assert.deepEqual(render(p, read(dir, 'sw02.transcript')), [
      '1:0 missing-section "guide: visits"',
      '1:0 unasked-question "guide: visits"',
      '7:3 unknown-question "@jobtitle"',
      '8:24 unclosed-span "{"',
      '8:43 deprecated-code "#old-risk"',
    ]);
    assert.ok(p.diagnostics.every((d) => d.source === 'transcript-coder'));
    const unknown = p.diagnostics.find((d) => d.code === 'unknown-question')!;
    assert.match(String(unknown.message), /'@jobtitle'.*Did you mean `@job-title`/);
    assert.equal(unknown.severity, 1);
    const deprecated = p.diagnostics.find((d) => d.code === 'deprecated-code')!;
    const related = deprecated.relatedInformation![0];
    assert.equal(related.location.uri, uriOf(path.join(dir, 'themes.codebook.yaml')));
    assert.equal(textAt(read(dir, 'themes.codebook.yaml'), related.location.range), 'old-risk');
    assert.deepEqual(deprecated.data, { replacedBy: 'risk', written: 'old-risk' });
  });

  it('checks an open document from the editor\'s text, for each version, not from the disk', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const file = path.join(dir, 'sw01.transcript');
    const disk = read(dir, 'sw01.transcript');
    await client.waitForDiagnostics(uriOf(file));
    const edited = disk.replace('#risk #benefits', '#risk');
    const uri = await client.open(file, edited);
    let p = await client.waitForDiagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(codes(p), ['unasked-question', 'unasked-question']);
    // Type `#benefit/famly` at the end of the last line.
    const line = edited.split('\n').length - 2;
    const end = edited.split('\n')[line].length;
    const v = await client.change(uri, [{ range: { start: { line, character: end }, end: { line, character: end } }, text: ' #benefit/famly' }]);
    p = await client.waitForDiagnostics(uri, (d) => d.version === v);
    const now = edited.split('\n').map((l, i) => (i === line ? `${l} #benefit/famly` : l)).join('\n');
    assert.deepEqual(render(p, now).slice(-1), [`${line}:${end + 1} unknown-code "#benefit/famly"`]);
    assert.match(String(p.diagnostics.at(-1)!.message), /Did you mean `#benefit\/family`/);
  });

  it('re-checks every transcript, open or not, when a guide is edited', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    const sw02 = uriOf(path.join(dir, 'sw02.transcript'));
    await client.waitForDiagnostics(sw02);
    const guideFile = path.join(dir, 'visits.guide.yaml');
    const guide = read(dir, 'visits.guide.yaml');
    const uri = await client.open(guideFile, guide);
    // Rename the question `worth-it` in the guide only.
    await client.replaceAll(uri, guide.replace('id: worth-it', 'id: worthwhile'));
    const p1 = await client.waitForDiagnostics(sw01, (p) => p.diagnostics.some((d) => String(d.message).includes("'worthwhile'")));
    assert.deepEqual(p1.diagnostics.filter((d) => d.code === 'unasked-question').map((d) => d.data?.questionId), ['experience', 'worthwhile']);
    // sw02 lists `worth-it` as skipped: that entry now names no question.
    const p2 = await client.waitForDiagnostics(sw02, (p) => codes(p).includes('unknown-question') && p.diagnostics.length === 6);
    assert.deepEqual(render(p2, read(dir, 'sw02.transcript')).filter((l) => l.includes('unknown-question')), [
      '4:10 unknown-question "worth-it"',
      '7:3 unknown-question "@jobtitle"',
    ]);
  });

  it('warns on a closed transcript when an open one takes its participant, and stops when the open one changes it back', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    await client.waitForDiagnostics(sw01);
    const file = path.join(dir, 'sw02.transcript');
    const text = read(dir, 'sw02.transcript');
    const uri = await client.open(file, text);
    await client.replaceAll(uri, text.replace('participant: SW02', 'participant: SW01'));
    const warned = await client.waitForDiagnostics(sw01, (p) => codes(p).includes('duplicate-participant'));
    const d = warned.diagnostics.find((x) => x.code === 'duplicate-participant')!;
    assert.equal(textAt(read(dir, 'sw01.transcript'), d.range), 'SW01');
    assert.match(String(d.message), /'SW01' is also the participant of sw02\.transcript/);
    assert.equal(d.relatedInformation![0].location.uri, uri);
    const own = await client.waitForDiagnostics(uri, (p) => codes(p).includes('duplicate-participant'));
    assert.match(String(own.diagnostics.find((x) => x.code === 'duplicate-participant')!.message), /also the participant of sw01\.transcript/);
    await client.replaceAll(uri, text.replace('participant: SW02', 'participant: SW03'));
    await client.waitForDiagnostics(sw01, (p) => !codes(p).includes('duplicate-participant'));
    await client.waitForDiagnostics(uri, (p) => !codes(p).includes('duplicate-participant'));
  });

  it('re-checks transcripts when a codebook is edited', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    await client.waitForDiagnostics(sw01, (p) => codes(p).includes('unknown-code'));
    const file = path.join(dir, 'themes.codebook.yaml');
    const uri = await client.open(file, read(dir, 'themes.codebook.yaml'));
    await client.replaceAll(uri, `${read(dir, 'themes.codebook.yaml')}  - id: benefits\n    label: A plural we allow\n`);
    const p = await client.waitForDiagnostics(sw01, (d) => !codes(d).includes('unknown-code'));
    assert.deepEqual(codes(p), ['unasked-question', 'unasked-question']);
  });

  it('applies severities from workspace/configuration, and again after didChangeConfiguration', async () => {
    const dir = study();
    const client = await start({
      folders: [dir],
      settings: { diagnostics: { severity: { 'unknown-code': 'error', 'unasked-question': 'off' } }, exclude: [] },
    });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    let p = await client.waitForDiagnostics(sw01);
    assert.deepEqual(p.diagnostics.map((d) => `${d.code} ${d.severity}`), ['unknown-code 1']);
    assert.ok(client.configurationRequests.some((r) => JSON.stringify(r).includes('"section":"transcriptCoder"')));
    client.settings = { diagnostics: { severity: { 'unknown-code': 'hint' } }, exclude: [] };
    await client.configurationChanged();
    p = await client.waitForDiagnostics(sw01, (d) => d.diagnostics.length === 3);
    assert.deepEqual(p.diagnostics.map((d) => `${d.code} ${d.severity}`), ['unasked-question 2', 'unasked-question 2', 'unknown-code 4']);
  });

  it('reads the folder\'s .vscode/settings.json when the client has no workspace/configuration, initializationOptions taking precedence', async () => {
    const dir = study();
    writeFiles(dir, { '.vscode/settings.json': '{\n  // as VS Code writes it\n  "transcriptCoder.diagnostics.severity": { "unknown-code": "off", "unasked-question": "hint" },\n}\n' });
    const client = await start({ folders: [dir], configuration: false });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    const p = await client.waitForDiagnostics(sw01);
    assert.deepEqual(p.diagnostics.map((d) => `${d.code} ${d.severity}`), ['unasked-question 4', 'unasked-question 4']);
    assert.equal(client.configurationRequests.length, 0);
    // Editing the file takes effect.
    const settingsFile = path.join(dir, '.vscode', 'settings.json');
    writeFileSync(settingsFile, '{ "transcriptCoder": { "diagnostics": { "severity": { "unasked-question": "off" } } } }');
    await client.fileEvents([{ uri: uriOf(settingsFile), type: FileChangeType.Changed }]);
    const edited = await client.waitForDiagnostics(sw01, (d) => d.diagnostics.length === 1);
    assert.deepEqual(codes(edited), ['unknown-code']);

    const dir2 = study();
    writeFiles(dir2, { '.vscode/settings.json': '{ "transcriptCoder.diagnostics.severity": { "unknown-code": "off" } }' });
    const client2 = await start({
      folders: [dir2], configuration: false,
      initializationOptions: { transcriptCoder: { diagnostics: { severity: { 'unasked-question': 'off' } } } },
    });
    const p2 = await client2.waitForDiagnostics(uriOf(path.join(dir2, 'sw01.transcript')));
    assert.deepEqual(codes(p2), ['unknown-code']);
  });

  it('logs the settings it cannot use, once for each folder until they change', async () => {
    const dir = study();
    const settingsFile = path.join(dir, '.vscode', 'settings.json');
    writeFiles(dir, { '.vscode/settings.json': '{ "transcriptCoder.diagnostics.severity": { "unknown-code": "loud", "no-such-check": "off" } }' });
    const client = await start({ folders: [dir], configuration: false });
    const warnings = (): string[] => client.logs.filter((l) => l.type === 2).map((l) => l.message);
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    await client.waitForDiagnostics(sw01);
    assert.deepEqual(warnings(), [
      'Settings of lsp-study: transcriptCoder.diagnostics.severity in .vscode/settings.json sets \'unknown-code\' to "loud"; use error, warning, information, hint or off.',
      'Settings of lsp-study: transcriptCoder.diagnostics.severity in .vscode/settings.json names \'no-such-check\', which is no problem code (see check\'s output for the codes).',
    ]);
    // Settings read again but unchanged: nothing more is logged.
    await client.configurationChanged({ transcriptCoder: {} });
    await client.request('textDocument/hover', { textDocument: { uri: sw01 }, position: { line: 0, character: 0 } });
    assert.equal(warnings().length, 2);
    // Changed: the new problem is logged, once.
    writeFileSync(settingsFile, '{ "transcriptCoder.exclude": "drafts" }');
    await client.fileEvents([{ uri: uriOf(settingsFile), type: FileChangeType.Changed }]);
    await client.waitUntil('a warning about the new settings', () => warnings().length === 3);
    assert.equal(warnings()[2], 'Settings of lsp-study: transcriptCoder.exclude in .vscode/settings.json must be a list of patterns, such as ["drafts/**"].');
    await client.fileEvents([{ uri: uriOf(settingsFile), type: FileChangeType.Changed }]);
    await client.request('textDocument/hover', { textDocument: { uri: sw01 }, position: { line: 0, character: 0 } });
    assert.equal(warnings().length, 3);

    // The editor's own settings are checked too.
    const dir2 = study();
    const client2 = await start({ folders: [dir2], settings: { exclude: 'drafts', diagnostics: { severity: { 'unknown-code': 'off' } } } });
    const p2 = await client2.waitForDiagnostics(uriOf(path.join(dir2, 'sw01.transcript')));
    assert.deepEqual(codes(p2), ['unasked-question', 'unasked-question'], 'the usable setting still applies');
    assert.deepEqual(client2.logs.filter((l) => l.type === 2).map((l) => l.message), [
      'Settings of lsp-study: transcriptCoder.exclude in the editor\'s settings must be a list of patterns, such as ["drafts/**"].',
    ]);
  });

  it('leaves excluded files out of the study, and takes them in when the exclusion is removed', async () => {
    const dir = study();
    writeFiles(dir, { 'drafts/sw03.transcript': '---\nguide: visits\nrole: swr\n---\nI: @nonsense Hello\nR: #benefits\n' });
    const client = await start({ folders: [dir], settings: { exclude: ['drafts'] } });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    const draft = uriOf(path.join(dir, 'drafts', 'sw03.transcript'));
    await client.waitForDiagnostics(sw01);
    const counts = await client.request<{ code: string; segments: number }[]>('transcriptCoder/codeCounts', {});
    assert.equal(counts.find((r) => r.code === 'benefits')?.segments, 1, 'only sw01 uses #benefits');
    assert.equal(client.diagnostics.has(draft), false);

    client.settings = { exclude: [] };
    await client.configurationChanged();
    const p = await client.waitForDiagnostics(draft);
    assert.ok(codes(p).includes('unknown-question'));
    const after = await client.request<{ code: string; segments: number }[]>('transcriptCoder/codeCounts', {});
    assert.equal(after.find((r) => r.code === 'benefits')?.segments, 2);
  });

  it('registers file watchers and follows files created, changed and deleted on disk', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const sw01 = uriOf(path.join(dir, 'sw01.transcript'));
    await client.waitForDiagnostics(sw01);
    await client.waitUntil('watcher registration', () => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = (client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: { globPattern: string }[] })
      .watchers.map((w) => w.globPattern);
    for (const g of ['**/*.transcript', '**/*.guide.yaml', '**/*.codebook.yaml']) assert.ok(globs.includes(g), g);

    const newFile = path.join(dir, 'sw03.transcript');
    writeFileSync(newFile, '---\nguide: visits\nrole: swr\n---\nI: @job-title Hi\nR: #benefit #nothing\n');
    await client.fileEvents([{ uri: uriOf(newFile), type: FileChangeType.Created }]);
    let p = await client.waitForDiagnostics(uriOf(newFile));
    assert.ok(render(p, readFileSync(newFile, 'utf8')).includes('5:12 unknown-code "#nothing"'));

    writeFileSync(newFile, '---\nguide: visits\nrole: swr\n---\nI: @job-title Hi\nR: #benefit #nothing #zilch\n');
    await client.fileEvents([{ uri: uriOf(newFile), type: FileChangeType.Changed }]);
    p = await client.waitForDiagnostics(uriOf(newFile), (d) => d.diagnostics.filter((x) => x.code === 'unknown-code').length === 2);

    rmSync(newFile);
    await client.fileEvents([{ uri: uriOf(newFile), type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(uriOf(newFile), (d) => d.diagnostics.length === 0);

    // A new codebook file is a study-wide change: sw01's `#benefits` becomes known.
    const extra = path.join(dir, 'more.codebook.yaml');
    writeFileSync(extra, 'codes:\n  - id: benefits\n    label: Plural\n');
    await client.fileEvents([{ uri: uriOf(extra), type: FileChangeType.Created }]);
    p = await client.waitForDiagnostics(sw01, (d) => !codes(d).includes('unknown-code'));
    assert.deepEqual(codes(p), ['unasked-question', 'unasked-question']);
  });

  it('takes in the files of a folder moved into the study and drops those of a folder deleted', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw01.transcript')));
    const outside = path.join(path.dirname(dir), 'elsewhere');
    writeFiles(outside, { 'a.transcript': '---\nguide: visits\nrole: swr\n---\n@job-title #zilch\n', 'deeper/b.transcript': '#zilch\n' });
    const moved = path.join(dir, 'batch2');
    renameSync(outside, moved);
    await client.fileEvents([{ uri: uriOf(moved), type: FileChangeType.Created }]);
    const a = uriOf(path.join(moved, 'a.transcript'));
    const b = uriOf(path.join(moved, 'deeper', 'b.transcript'));
    await client.waitForDiagnostics(a, (p) => codes(p).includes('unknown-code'));
    await client.waitForDiagnostics(b, (p) => codes(p).includes('unknown-code'));
    rmSync(moved, { recursive: true });
    await client.fileEvents([{ uri: uriOf(moved), type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(a, (p) => p.diagnostics.length === 0);
    await client.waitForDiagnostics(b, (p) => p.diagnostics.length === 0);
  });

  it('keeps the editor\'s text of an open file over changes on disk, and goes back to the disk when it is closed', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const file = path.join(dir, 'sw01.transcript');
    const disk = read(dir, 'sw01.transcript');
    const uri = await client.open(file, disk.replace(' #benefits', ''));
    await client.waitForDiagnostics(uri, (p) => p.version === 1 && p.diagnostics.length === 2);
    writeFileSync(file, `${disk}R: #zilch\n`);
    await client.fileEvents([{ uri, type: FileChangeType.Changed }]);
    // The editor's text still rules: ask for something that waits for the server to settle.
    const counts = await client.request<{ code: string }[]>('transcriptCoder/codeCounts', { uri });
    assert.equal(counts.some((r) => r.code === 'zilch'), false);
    await client.close(uri);
    const p = await client.waitForDiagnostics(uri, (d) => d.version === undefined || d.version === null);
    assert.deepEqual(codes(p).filter((c) => c === 'unknown-code').length, 2, '#benefits and #zilch, from the disk');
  });

  it('drops a file deleted while it was open once it is closed', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const file = path.join(dir, 'sw02.transcript');
    const uri = await client.open(file, read(dir, 'sw02.transcript'));
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    rmSync(file);
    await client.fileEvents([{ uri, type: FileChangeType.Deleted }]);
    await client.close(uri);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
  });

  it('reports indexing progress to a client that supports it', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    await client.waitUntil('the end of indexing', () => client.notifications<{ value: { kind: string } }>('$/progress').some((p) => p.value.kind === 'end'));
    const values = client.notifications<{ value: WorkDoneProgressBegin | WorkDoneProgressReport | { kind: 'end' } }>('$/progress').map((p) => p.value);
    assert.equal(values[0].kind, 'begin');
    assert.equal((values[0] as WorkDoneProgressBegin).title, 'Transcript Coder');
    const messages = values.map((v) => (v as WorkDoneProgressReport).message).filter(Boolean);
    assert.ok(messages.includes('Indexing 4/4 files'), messages.join(', '));
    assert.equal(values.at(-1)!.kind, 'end');
  });

  it('indexes without progress for a client that does not support it', async () => {
    const dir = study();
    const client = await start({ folders: [dir], progress: false });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    assert.equal(client.notifications('$/progress').length, 0);
  });

  it('sends indexChanged after indexing and once after a burst of edits', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const first = await client.nextNotification<{ folders: string[] }>('transcriptCoder/indexChanged');
    assert.deepEqual(first.folders, [uriOf(dir)]);
    const file = path.join(dir, 'sw01.transcript');
    let text = read(dir, 'sw01.transcript');
    const uri = await client.open(file, text);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const before = client.notifications('transcriptCoder/indexChanged').length;
    const line = text.split('\n').length - 1;
    let v = 0;
    for (const ch of 'typing a word') {
      v = await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ch }]);
      text += ch;
    }
    await client.waitForDiagnostics(uri, (p) => p.version === v);
    await client.nextNotification('transcriptCoder/indexChanged');
    // A quiet moment later there is still just that one.
    await client.request('transcriptCoder/codeCounts', {});
    assert.ok(client.notifications('transcriptCoder/indexChanged').length - before <= 2);
  });

  it('counts positions in UTF-16 code units, so accents and emoji before a code do not shift its range', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const text = '---\nguide: visits\nrole: swr\n---\nI: @job-title Zoë 😀 👩‍👧 said 𝔘𝔫𝔦 {ça va}#benefit/family #x #benefit/famly\n';
    const line = text.split('\n')[4];
    const uri = await client.open(path.join(dir, 'emoji.transcript'), text);
    const p = await client.waitForDiagnostics(uri, (d) => d.version === 1);
    const unknown = p.diagnostics.filter((d: Diagnostic) => d.code === 'unknown-code');
    assert.deepEqual(unknown.map((d) => textAt(text, d.range)), ['#x', '#benefit/famly']);
    assert.equal(unknown[0].range.start.character, line.indexOf('#x'));
    const hover = await client.request<{ contents: { value: string }; range: Diagnostic['range'] } | null>('textDocument/hover', {
      textDocument: { uri }, position: { line: 4, character: line.indexOf('#benefit/family') + 3 },
    });
    assert.match(hover?.contents.value ?? '', /Benefits for the family/);
    assert.equal(textAt(text, hover!.range), '#benefit/family');
  });

  it('keeps the studies of a multi-root workspace apart, and a document outside every folder on its own', async () => {
    const a = study();
    const b = tempStudy({
      'other.guide.yaml': 'id: other\ntitle: Other\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n',
      'x.transcript': '@q {said}#benefit\n',
    });
    folders.push(b);
    const client = await start({ folders: [a, b] });
    // `benefit` is in folder a's codebook only.
    const x = await client.waitForDiagnostics(uriOf(path.join(b, 'x.transcript')));
    assert.deepEqual(codes(x), ['unknown-code']);
    await client.waitForDiagnostics(uriOf(path.join(a, 'sw01.transcript')));
    const lone = tempStudy();
    folders.push(lone);
    const uri = await client.open(path.join(lone, 'alone.transcript'), 'I: @q Hello #benefit\n');
    const p = await client.waitForDiagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(codes(p), ['missing-guide', 'unknown-code']);
    await client.close(uri);
    await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 0);
    // An unsaved transcript is a study of its own too.
    const untitled = await client.open('untitled:Untitled-1', 'I: @q Hello {there\n', 'transcript');
    const u = await client.waitForDiagnostics(untitled, (d) => d.version === 1);
    assert.deepEqual(codes(u), ['missing-guide', 'unclosed-span']);
  });

  it('follows workspace folders added and removed while it runs', async () => {
    const a = study();
    const b = study();
    const client = await start({ folders: [a] });
    await client.waitForDiagnostics(uriOf(path.join(a, 'sw02.transcript')));
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: uriOf(b), name: 'b' }], removed: [{ uri: uriOf(a), name: 'a' }] },
    });
    const p = await client.waitForDiagnostics(uriOf(path.join(b, 'sw02.transcript')));
    assert.equal(p.diagnostics.length, 5);
    await client.waitForDiagnostics(uriOf(path.join(a, 'sw02.transcript')), (d) => d.diagnostics.length === 0);
    const report = await client.request<{ guides: { transcripts: { uri: string }[] }[] }>('transcriptCoder/coverage', { folder: uriOf(b) });
    assert.ok(report.guides[0].transcripts.every((t) => t.uri.startsWith(uriOf(b))));
  });

  it('treats a workspace folder nested in another as a study of its own', async () => {
    const outer = study();
    writeFiles(outer, {
      'inner/other.guide.yaml': 'id: other\ntitle: Other\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n',
      'inner/x.transcript': '@q {said}#benefit\n',
    });
    const inner = path.join(outer, 'inner');
    const client = await start({ folders: [outer, inner] });
    // In its own study, x.transcript follows the only guide there and knows no codebook.
    const x = await client.waitForDiagnostics(uriOf(path.join(inner, 'x.transcript')));
    assert.deepEqual(codes(x), ['unknown-code']);
    // The outer study does not count it: #benefit is used in sw01 and sw02 only.
    const counts = await client.request<{ code: string; totalSegments: number }[]>('transcriptCoder/codeCounts', { folder: uriOf(outer) });
    assert.equal(counts.find((r) => r.code === 'benefit')!.totalSegments, 2);
  });

  it('uses rootUri when the client names no workspace folders', async () => {
    const dir = study();
    const client = await start({ rootUri: uriOf(dir) });
    const p = await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    assert.equal(p.diagnostics.length, 5);
  });

  it('ignores files in node_modules and .git', async () => {
    const dir = study();
    writeFiles(dir, { 'node_modules/x/a.transcript': '#zilch\n', '.git/b.transcript': '#zilch\n' });
    mkdirSync(path.join(dir, 'sub'));
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    await client.request('transcriptCoder/codeCounts', {});
    assert.deepEqual([...client.diagnostics.keys()].filter((u) => u.includes('node_modules') || u.includes('.git')), []);
  });
});
