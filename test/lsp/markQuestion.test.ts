/**
 * "Mark as question …" (SPEC §12) from the real server over stdio: on an interviewer turn without a
 * marker the server offers the matcher's three best questions, each inserting `@id ` after the label and
 * nothing else; a marked turn and a respondent's turn get none; `transcriptCoder.interviewerLabels`
 * adds labels to the interviewer's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits, copyFixture, LspClient, removeStudy, uriOf, writeFiles } from '../support/lspClient';

const TRANSCRIPT = `---
guide: visits
participant: SW03
role: swr
---

I: @job-title What is your job title?
R: Social worker, in the assessment team.

I: And how many years have you worked in child protection?
R: Six years now.

I: Tell me about the first time you visited this family at home.
R: It was a cold day in January.

PO: Looking back, do you think the visit was worth it?
R: Yes, I think so.
`;

let dir: string;
let client: LspClient;
let uri: string;

/** The "Mark as question" actions with the cursor at the start of the line holding `needle`, `delta` characters in. */
async function marks(needle: string, delta = 4): Promise<CodeAction[]> {
  const line = TRANSCRIPT.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  const at = { line, character: delta };
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
  return actions.filter((a) => a.title.startsWith('Mark as question'));
}

function applied(action: CodeAction): string {
  const edits = action.edit?.changes?.[uri] as TextEdit[] | undefined;
  assert.ok(edits, `${action.title} edits ${JSON.stringify(action.edit)}`);
  return applyEdits(TRANSCRIPT, edits);
}

before(async () => {
  dir = copyFixture('lsp-study');
  writeFiles(dir, { 'sw03.transcript': TRANSCRIPT });
  client = await LspClient.start({ folders: [dir], settings: { interviewerLabels: ['PO'] } });
  uri = uriOf(path.join(dir, 'sw03.transcript'));
  await client.waitForDiagnostics(uri);
});

after(async () => {
  assert.equal(await client.stop(), 0);
  removeStudy(dir);
});

describe('Mark as question', () => {
  it('offers the three likeliest questions on an unmarked interviewer turn, and inserts only `@id `', async () => {
    const actions = await marks('how many years');
    assert.deepEqual(actions.map((a) => a.title), [
      'Mark as question experience: How long have you worked in child protection?',
      'Mark as question team-size: How big is your team?',
      'Mark as question first-visit: Tell me about your first home visit to this family.',
    ]);
    assert.ok(actions.every((a) => a.kind === 'refactor'));
    assert.equal(applied(actions[0]), TRANSCRIPT.replace('I: And how many years', 'I: @experience And how many years'));
    assert.equal(applied(actions[2]), TRANSCRIPT.replace('I: And how many years', 'I: @first-visit And how many years'));
    // The file on disk is the text the server answered from.
    assert.equal(readFileSync(path.join(dir, 'sw03.transcript'), 'utf8'), TRANSCRIPT);
  });

  it('follows the guide after the marked turns: the next turn is offered its question first', async () => {
    const actions = await marks('Tell me about the first time');
    assert.equal(actions[0]?.title, 'Mark as question first-visit: Tell me about your first home visit to this family.');
    assert.equal(applied(actions[0]), TRANSCRIPT.replace('I: Tell me about', 'I: @first-visit Tell me about'));
  });

  it('offers nothing on a turn that has a marker or on a respondent’s turn', async () => {
    assert.deepEqual(await marks('@job-title'), []);
    assert.deepEqual(await marks('Six years now'), []);
    assert.deepEqual(await marks('Social worker, in the assessment team', 30), []);
  });

  it('reads the labels of transcriptCoder.interviewerLabels as the interviewer’s', async () => {
    const actions = await marks('PO: Looking back');
    assert.equal(actions[0]?.title, 'Mark as question worth-it: Looking back, was the visit worth it?');
    assert.equal(applied(actions[0]), TRANSCRIPT.replace('PO: Looking back', 'PO: @worth-it Looking back'));
  });
});
