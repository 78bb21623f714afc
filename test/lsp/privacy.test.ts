/**
 * Pseudonymisation in the language server (SPEC §13), over stdio with the real server process: the
 * warnings, following the names list when it changes, its problems, the quick fix, the
 * `transcriptCoder.pseudonymise` command, the redacted export, and what the server ever says of the
 * names list (nothing but a word found in a transcript and its pseudonym).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { FileChangeType } from 'vscode-languageserver-protocol';
import type { PseudonymiseResult } from '../../server/src/protocol';
import { LspClient, removeStudy, tempStudy, textAt, uriOf } from '../support/lspClient';

const GUIDE = `id: visits
title: Home visits
sections:
  - id: s
    title: Visits
    questions:
      - id: first
        text: Tell me about the first visit.
`;
const CODEBOOK = `codes:
  - id: family
    label: Family
  - id: risk
    label: Risk
`;
const T1 = `---
guide: visits
participant: P01
site: Oakfield
---

I: @first Tell me about the first visit.
R: {Kai's mum}#family opened the door. Kai Brennan was asleep. %% Ask about Oakfield. %%
R: Call me on 07700 900123. #risk
`;
const T2 = `---
guide: visits
participant: P02
---

I: @first Tell me about the first visit.
R: Northshire sent us. {Brennan was there}#risk
`;
const LIST = 'Kai Brennan: Sam Jones\nOakfield: Ashby\nNorthshire:\nQuentin Marlowe: Q\n';
const ABSENT = ['Quentin', 'Marlowe'];

const privacyOf = (p: PublishDiagnosticsParams, text: string): string[] => p.diagnostics
  .filter((d) => d.code === 'identifying-name' || d.code === 'identifying-detail')
  .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} "${textAt(text, d.range)}"`);

describe('pseudonymisation in the language server', () => {
  let dir: string;
  let client: LspClient;
  const uri = (rel: string): string => uriOf(path.join(dir, rel));
  const read = (rel: string): string => readFileSync(path.join(dir, rel), 'utf8');

  before(async () => {
    dir = tempStudy({ 'visits.guide.yaml': GUIDE, 'themes.codebook.yaml': CODEBOOK, 't1.transcript': T1, 't2.transcript': T2, 'names.private.yaml': LIST });
    client = await LspClient.start({ folders: [dir] });
  });
  after(async () => {
    await client.stop();
    removeStudy(dir);
  });

  it('warns about every listed name and identifying detail in transcripts, open or not', async () => {
    const p = await client.waitForDiagnostics(uri('t1.transcript'), (x) => x.diagnostics.some((d) => d.code === 'identifying-name'));
    assert.deepEqual(privacyOf(p, T1), [
      '3:6 identifying-name "Oakfield"',
      '7:4 identifying-name "Kai"',
      '7:39 identifying-name "Kai Brennan"',
      '7:76 identifying-name "Oakfield"',
      '8:14 identifying-detail "07700 900123"',
    ]);
    const d = p.diagnostics.find((x) => x.code === 'identifying-name')!;
    assert.equal(d.message, "'Oakfield' is on the names list: replace it with the pseudonym 'Ashby'.");
    assert.equal(d.source, 'transcript-coder');
  });

  it('offers the quick fix "Replace with the pseudonym", which changes that word only', async () => {
    const doc = await client.open(path.join(dir, 't1.transcript'), T1);
    const p = await client.waitForDiagnostics(doc, (x) => x.version !== undefined && x.diagnostics.some((d) => d.code === 'identifying-name'));
    const kai = p.diagnostics.find((d) => d.code === 'identifying-name' && textAt(T1, d.range) === 'Kai')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: doc }, range: kai.range, context: { diagnostics: [kai] } });
    const fix = actions.find((a) => a.title === "Replace with the pseudonym 'Sam'");
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    const edits = fix.edit.changes?.[doc] ?? (fix.edit.documentChanges?.[0] as { edits: { range: Diagnostic['range']; newText: string }[] }).edits;
    assert.deepEqual(edits.map((e) => [e.range, e.newText]), [[kai.range, 'Sam']]);
    await client.close(doc);
  });

  it('re-checks every transcript when the names list changes on disk', async () => {
    writeFileSync(path.join(dir, 'names.private.yaml'), 'Oakfield: Ashby\nP02: Participant\n');
    await client.fileEvents([{ uri: uri('names.private.yaml'), type: FileChangeType.Changed }]);
    const p1 = await client.waitForDiagnostics(uri('t1.transcript'), (x) => !x.diagnostics.some((d) => d.code === 'identifying-name' && /Kai/.test(String(d.message))));
    assert.deepEqual(privacyOf(p1, T1), ['3:6 identifying-name "Oakfield"', '7:76 identifying-name "Oakfield"', '8:14 identifying-detail "07700 900123"']);
    const p2 = await client.waitForDiagnostics(uri('t2.transcript'), (x) => !x.diagnostics.some((d) => /Northshire/.test(String(d.message))));
    assert.deepEqual(privacyOf(p2, T2), ['2:13 identifying-name "P02"']);
    writeFileSync(path.join(dir, 'names.private.yaml'), LIST);
    await client.fileEvents([{ uri: uri('names.private.yaml'), type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(uri('t2.transcript'), (x) => privacyOf(x, T2).join() === '6:3 identifying-name "Northshire",6:24 identifying-name "Brennan"');
  });

  it('shows a problem of the names list on the names list, quoting none of it, and clears it once corrected', async () => {
    writeFileSync(path.join(dir, 'names.private.yaml'), '- Kai Brennan\n- [Quentin, Marlowe]\n');
    await client.fileEvents([{ uri: uri('names.private.yaml'), type: FileChangeType.Changed }]);
    const p = await client.waitForDiagnostics(uri('names.private.yaml'), (x) => x.diagnostics.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => [d.range.start.line, d.code, d.severity]), [[1, 'invalid-names-list', 1]]);
    assert.match(String(p.diagnostics[0].message), /^The names list, line 2: each entry must be a name/);
    writeFileSync(path.join(dir, 'names.private.yaml'), LIST);
    await client.fileEvents([{ uri: uri('names.private.yaml'), type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(uri('names.private.yaml'), (x) => x.diagnostics.length === 0);
  });

  it('exports redacted through the export command, byte for byte as the CLI does', async () => {
    const target = path.join(dir, '..', `${path.basename(dir)}-redacted.qdpx`);
    const result = await client.executeCommand<{ written: string }>('transcriptCoder.export', { kind: 'refi', target: uriOf(target), redact: true, overwrite: true });
    assert.equal(result.written, uriOf(target));
    const cli = spawnSync(process.execPath, [path.join(__dirname, '../../dist/cli.js'), 'export', 'refi', '--redact', '-o', `${target}.cli`], { cwd: dir, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(readFileSync(target).equals(readFileSync(`${target}.cli`)), 'the server and the CLI wrote different bytes');
    const plain = await client.executeCommand<{ written: string }>('transcriptCoder.export', { kind: 'segments-csv', target: uriOf(`${target}.csv`), redact: true, overwrite: true });
    assert.ok(plain.written);
    const csv = readFileSync(`${target}.csv`, 'utf8');
    assert.ok(csv.includes('Sam Jones was asleep') || csv.includes("Sam's mum"), csv);
    assert.ok(!/\bKai\b|Oakfield|07700/.test(csv), csv);
  });

  it('pseudonymises the study in one workspace edit, and a second run changes nothing', async () => {
    const t1 = await client.open(path.join(dir, 't1.transcript'), read('t1.transcript'));
    const t2 = await client.open(path.join(dir, 't2.transcript'), read('t2.transcript'));
    const dry = await client.executeCommand<PseudonymiseResult>('transcriptCoder.pseudonymise', { dryRun: true });
    assert.deepEqual(dry, {
      applied: false, replaced: 5, left: 1,
      files: [{ file: 't1.transcript', replaced: 4, left: 0 }, { file: 't2.transcript', replaced: 1, left: 1 }],
      summary: 'Would replace 5 names in 2 transcripts. 1 listed name has no pseudonym in the list and was left.',
    });
    const edits = client.applyEditRequests.length;
    const done = await client.executeCommand<PseudonymiseResult>('transcriptCoder.pseudonymise', {});
    assert.equal(done.applied, true);
    assert.equal(client.applyEditRequests.length, edits + 1);
    assert.equal(client.applyEditRequests[edits].label, 'Pseudonymise the study');
    assert.equal(client.textOf(t1), T1.replace('site: Oakfield', 'site: Ashby').replace("{Kai's", "{Sam's").replace('Kai Brennan was', 'Sam Jones was').replace('about Oakfield', 'about Ashby'));
    assert.equal(client.textOf(t2), T2.replace('{Brennan', '{Jones'));
    const p = await client.waitForDiagnostics(t1, (x) => !x.diagnostics.some((d) => d.code === 'identifying-name'));
    assert.deepEqual(privacyOf(p, client.textOf(t1)!), ['8:14 identifying-detail "07700 900123"']);
    const again = await client.executeCommand<PseudonymiseResult>('transcriptCoder.pseudonymise', {});
    assert.equal(again.replaced, 0);
    assert.equal(again.applied, false);
    assert.equal(client.applyEditRequests.length, edits + 1);
  });

  it('never sends or logs a listed name that no transcript holds', () => {
    const everything = JSON.stringify(client.received) + JSON.stringify(client.logs) + client.stderr;
    for (const name of ABSENT) assert.ok(!everything.includes(name), `the server sent or logged '${name}'`);
  });
});

describe('pseudonymisation without a names list', () => {
  it('refuses the pseudonymise command with a reason, and still warns about details', async () => {
    const dir = tempStudy({ 'visits.guide.yaml': GUIDE, 't1.transcript': T1 });
    const client = await LspClient.start({ folders: [dir] });
    try {
      const p = await client.waitForDiagnostics(uriOf(path.join(dir, 't1.transcript')));
      assert.deepEqual(privacyOf(p, T1), ['8:14 identifying-detail "07700 900123"']);
      await assert.rejects(client.executeCommand('transcriptCoder.pseudonymise', {}), (err: Error) => /This study has no names list/.test(err.message));
    } finally {
      await client.stop();
      removeStudy(dir);
    }
  });

  it('reads a names list named by the setting, outside the study folder, and again when the setting changes', async () => {
    const dir = tempStudy({ 'visits.guide.yaml': GUIDE, 't1.transcript': T1 });
    const key = path.join(dir, '..', `${path.basename(dir)}-key.yaml`);
    writeFileSync(key, 'Oakfield: Ashby\n');
    let settings: unknown = { privacy: { namesFile: key } };
    const client = await LspClient.start({ folders: [dir], settings: () => settings });
    const t1 = uriOf(path.join(dir, 't1.transcript'));
    try {
      const p = await client.waitForDiagnostics(t1, (x) => x.diagnostics.some((d) => d.code === 'identifying-name'));
      assert.deepEqual(privacyOf(p, T1), ['3:6 identifying-name "Oakfield"', '7:76 identifying-name "Oakfield"', '8:14 identifying-detail "07700 900123"']);
      settings = {};
      await client.configurationChanged();
      await client.waitForDiagnostics(t1, (x) => !x.diagnostics.some((d) => d.code === 'identifying-name'));
    } finally {
      await client.stop();
      removeStudy(dir);
    }
  });
});
