/**
 * `$/cancelRequest` over stdio, against the real server process: on a generated study where two
 * codes are used 60,000 times each, references, rename and workspace symbols that the client
 * cancels answer LSP's RequestCancelled error instead of their (large) result, and the server
 * goes on answering.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, type Location, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient, removeStudy, tempStudy, uriOf } from '../support/lspClient';

const TRANSCRIPTS = 60;
const USES = 1000;

let dir: string;
let client: LspClient;
const first = (): string => uriOf(path.join(dir, 'interviews', 't000.transcript'));
/** The position of a code on the first line `R: yes #common #often` of a transcript. */
const onCode = (code: 'common' | 'often'): { line: number; character: number } => ({ line: 5, character: code === 'common' ? 8 : 16 });

before(async () => {
  const files: Record<string, string> = {
    'study.guide.yaml': 'id: g\ntitle: G\nsections:\n  - id: s\n    title: S\n    questions:\n      - id: q\n        text: Q?\n',
    'codes.codebook.yaml': 'codes:\n  - id: common\n    label: Common\n  - id: often\n    label: Often\n',
  };
  const body = 'R: yes #common #often\n\n'.repeat(USES);
  for (let i = 0; i < TRANSCRIPTS; i++) {
    files[`interviews/t${String(i).padStart(3, '0')}.transcript`] = `---\nguide: g\n---\nI: @q Q?\n\n${body}`;
  }
  dir = tempStudy(files);
  client = await LspClient.start({ folders: [dir] });
  await client.waitUntil('the index', () => client.notifications('transcriptCoder/indexChanged').length > 0);
});

after(async () => {
  assert.equal(await client.stop(), 0);
  removeStudy(dir);
});

/**
 * Sends a request and, once it is sent (the server has started it by the time the cancellation
 * comes), cancels it. Resolves with how the request was answered.
 */
async function cancelledOnceSent(method: string, params: unknown): Promise<{ code?: number; result?: unknown }> {
  const source = new CancellationTokenSource();
  const answer = client.connection.sendRequest(method, params, source.token);
  setImmediate(() => source.cancel());
  try {
    return { result: await answer };
  } catch (err) {
    return { code: (err as { code?: number }).code };
  }
}

let rawId = 0;

/**
 * Sends a request and its cancellation in one write, so that the server reads both before it
 * starts the request (as when a client cancels a request that waits behind others); resolves with
 * how the server answered, read from its output.
 */
function cancelledInOneWrite(method: string, params: unknown): Promise<{ code?: number; result?: unknown }> {
  const id = `cancel-${++rawId}`;
  const frame = (msg: object): Buffer => {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
  };
  return new Promise((resolve) => {
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headerEnd = pending.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (pending.length < headerEnd + 4 + length) return;
        const message = JSON.parse(pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { id?: unknown; result?: unknown; error?: { code: number } };
        pending = pending.subarray(headerEnd + 4 + length);
        if (message.id === id) {
          client.proc.stdout!.off('data', onData);
          resolve(message.error ? { code: message.error.code } : { result: message.result });
          return;
        }
      }
    };
    client.proc.stdout!.on('data', onData);
    client.proc.stdin!.write(Buffer.concat([
      frame({ jsonrpc: '2.0', id, method, params }),
      frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } }),
    ]));
  });
}

describe('cancelling requests', () => {
  const references = (code: 'common' | 'often') => ({ textDocument: { uri: first() }, position: onCode(code), context: { includeDeclaration: true } });

  it('stops references on a code used 60,000 times, cancelled before it starts or while it runs', async () => {
    assert.deepEqual(await cancelledInOneWrite('textDocument/references', references('common')), { code: LSPErrorCodes.RequestCancelled });
    // Building 60,000 locations takes tens of milliseconds: the cancellation arrives while the request runs.
    assert.deepEqual(await cancelledOnceSent('textDocument/references', references('often')), { code: LSPErrorCodes.RequestCancelled });
    // Not cancelled, the same requests answer in full.
    assert.equal((await client.request<Location[]>('textDocument/references', references('often'))).length, TRANSCRIPTS * USES + 1);
    assert.equal((await client.request<Location[]>('textDocument/references', references('common'))).length, TRANSCRIPTS * USES + 1);
  });

  it('stops a comparison of two coders\' copies, cancelled while it runs, and answers it in full otherwise', async () => {
    // The study compared with a copy of itself that drops one code: 60 pairs of 2,000 paragraphs.
    const other = tempStudy(Object.fromEntries(Array.from({ length: TRANSCRIPTS }, (_, i) => [
      `interviews/t${String(i).padStart(3, '0')}.transcript`, `---\nguide: g\n---\nI: @q Q?\n\n${'R: yes #common\n\n'.repeat(USES)}`,
    ])));
    try {
      const params = { a: uriOf(dir), b: uriOf(other), unit: 'paragraph' };
      assert.deepEqual(await cancelledOnceSent('transcriptCoder/agreement', params), { code: LSPErrorCodes.RequestCancelled });
      const full = await client.request<{ codes: { code: string; both: number; onlyA: number }[] }>('transcriptCoder/agreement', params);
      assert.deepEqual(full.codes.map((c) => [c.code, c.both, c.onlyA]), [['common', TRANSCRIPTS * USES, 0], ['often', 0, TRANSCRIPTS * USES]]);
    } finally {
      removeStudy(other);
    }
  });

  it('stops a rename of a code used 60,000 times, and workspace symbols, cancelled before they start', async () => {
    const rename = { textDocument: { uri: first() }, position: onCode('common'), newName: 'usual' };
    assert.deepEqual(await cancelledInOneWrite('textDocument/rename', rename), { code: LSPErrorCodes.RequestCancelled });
    assert.deepEqual(await cancelledInOneWrite('workspace/symbol', { query: 'o' }), { code: LSPErrorCodes.RequestCancelled });
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', rename);
    assert.equal(Object.values(edit.changes ?? {}).reduce((n, edits) => n + edits.length, 0), TRANSCRIPTS * USES + 1);
    const symbols = await client.request<{ name: string }[]>('workspace/symbol', { query: 'o' });
    assert.deepEqual(symbols.map((s) => s.name).sort(), ['#common — Common', '#often — Often']);
  });
});
