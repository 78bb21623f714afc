/**
 * Guides as researchers write them, through the real server process: a marker that names a
 * section, a span that codes across a question, the notes and conditions a marker's hover shows,
 * and the coverage request's new fields.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { CoverageReport } from '../../server/src/protocol';
import { LspClient, removeStudy, tempStudy, textAt, uriOf } from '../support/lspClient';

const GUIDE = `id: ppm
title: Interviews about pre-proceedings meetings
note: Read the consent form aloud first.
sections:
  - id: decision
    title: The decision
    note: Still about the example meeting.
    questions:
      - id: reasons
        text: What were the reasons for the meeting?
      - id: whose-idea
        text: Whose idea was it?
        condition: if the meeting was not routine
  - id: closing
    title: Closing
    questions:
      - id: anything-else
        text: Anything else?
      - id: pilot-question
        text: How did you hear about the study?
        retired: true
`;

const TRANSCRIPT = `---
guide: ppm
participant: SW01
skipped:
  whose-idea: the meeting was routine
---

I: @decision Tell me about the decision.
R: {It was the legal gateway meeting's idea.

I: @anything-else Anything else?
R: No.}#legal
`;

let dir: string;
let client: LspClient;
const uri = (rel: string): string => uriOf(path.join(dir, rel));

before(async () => {
  dir = tempStudy({ 'ppm.guide.yaml': GUIDE, 'sw01.transcript': TRANSCRIPT, 'themes.codebook.yaml': 'codes:\n  - id: legal\n    label: Legal advice\n' });
  client = await LspClient.start({ folders: [dir] });
  await client.waitForDiagnostics(uri('sw01.transcript'));
});

after(async () => {
  assert.equal(await client.stop(), 0);
  removeStudy(dir);
});

function rendered(diagnostics: Diagnostic[], text: string): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code} "${textAt(text, d.range)}" ${d.message}`);
}

describe('problems of guides as researchers write them, over LSP', () => {
  it('publishes a section marker as section-marker, and a span across a question on its `{`', async () => {
    const p = await client.waitForDiagnostics(uri('sw01.transcript'));
    assert.deepEqual(rendered(p.diagnostics, TRANSCRIPT), [
      "1:0 missing-section \"guide: ppm\" No question of section 'decision' (The decision) was asked: 1 expected question (reasons) has no marker.",
      "7:3 section-marker \"@decision\" '@decision' names the section 'decision' (The decision), not a question: mark one of its questions, such as '@reasons' or '@whose-idea'.",
      "8:3 span-crosses-question \"{\" This span opens in the answer to '@decision' and closes in the answer to '@anything-else' (line 12), so it codes across the question '@anything-else' (line 11). Is a `}` missing before line 11?",
    ]);
    const marker = p.diagnostics.find((d) => d.code === 'section-marker')!;
    assert.equal(marker.severity, 1);
    assert.equal(marker.relatedInformation?.[0].location.uri, uri('ppm.guide.yaml'));
  });

  it('offers the section\'s questions as quick fixes, and drops the problem once one is marked', async () => {
    const u = await client.open(path.join(dir, 'sw01.transcript'), TRANSCRIPT);
    const p = await client.waitForDiagnostics(u, (x) => x.diagnostics.some((d) => d.code === 'section-marker'));
    const marker = p.diagnostics.find((d) => d.code === 'section-marker')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u }, range: marker.range, context: { diagnostics: [marker] },
    });
    assert.deepEqual(actions.map((a) => a.title), ["Change to '@reasons'", "Change to '@whose-idea'"]);
    await client.replaceAll(u, TRANSCRIPT.replace('@decision', '@reasons'));
    const after = await client.waitForDiagnostics(u, (x) => !x.diagnostics.some((d) => d.code === 'section-marker'));
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['span-crosses-question']);
    await client.close(u);
  });
});

describe('the hover of a marker, over LSP', () => {
  it('shows the question\'s condition, its section\'s note and the guide\'s note', async () => {
    const text = `${TRANSCRIPT}\nI: @whose-idea Whose idea was it?\n`;
    const u = await client.open(path.join(dir, 'sw01.transcript'), text);
    const line = text.split('\n').length - 2;
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: u }, position: { line, character: 6 } });
    const value = (h.contents as MarkupContent).value;
    assert.equal((h.contents as MarkupContent).kind, 'markdown');
    assert.ok(value.startsWith('**@whose-idea** Whose idea was it?\n\n**Condition:** if the meeting was not routine\n\n'), value);
    assert.ok(value.includes('\n\n**Section note:** Still about the example meeting.\n\n'), value);
    assert.ok(value.endsWith('\n\n**Guide note:** Read the consent form aloud first.'), value);
    await client.close(u);
  });
});

describe('the coverage request, over LSP', () => {
  it('carries the condition, the retired flag and the skip reason', async () => {
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    const g = report.guides[0];
    const qs = g.sections.flatMap((s) => s.questions);
    assert.equal(qs.find((q) => q.id === 'whose-idea')?.condition, 'if the meeting was not routine');
    assert.equal(qs.find((q) => q.id === 'pilot-question')?.retired, true);
    assert.equal(qs.find((q) => q.id === 'reasons')?.retired, undefined);
    assert.deepEqual(g.transcripts[0].skipReasons, { 'whose-idea': 'the meeting was routine' });
  });
});
