/**
 * The language server under hostile input and at the edges of its life:
 * storms of random edits, random bytes, huge files, YAML alias bombs, failing
 * requests, shutdown and exit. Each test proves the server still answers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ErrorCodes, ShutdownRequest, type CompletionItem, type Hover, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { copyFixture, LspClient, removeStudy, uriOf, writeFiles, type ClientOptions } from '../support/lspClient';

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

function study(extra: Record<string, string | Uint8Array> = {}): string {
  const dir = copyFixture('lsp-study');
  folders.push(dir);
  writeFiles(dir, extra);
  return dir;
}

/** A deterministic pseudo-random generator, so that a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '#', '@', '%%', '\\', '\n', '\r\n', '\r', '---\n', 'guide: visits\n', '#benefit/', '@job-title ', 'I: ', '😀', 'é', '\ud800', '\udc00', '\u0000', ' ', 'word'];

/** Some YAML whose aliases expand to a billion items if anyone expands them. */
const ALIAS_BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

async function stillAnswers(client: LspClient, dir: string): Promise<void> {
  const u = uriOf(path.join(dir, 'sw01.transcript'));
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line: 6, character: 5 } });
  assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /job title/);
}

describe('robustness of the language server', () => {
  it('survives hundreds of random incremental edits, random bytes included, and still answers correctly', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const file = path.join(dir, 'storm.transcript');
    const uri = await client.open(file, '---\nguide: visits\nrole: swr\n---\nI: @job-title Hello\n');
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const random = prng(20240501);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    for (let i = 0; i < 400; i++) {
      const line = Math.floor(random() * 12);
      const character = Math.floor(random() * 30);
      const length = Math.floor(random() * 3);
      let text = '';
      const r = random();
      if (r < 0.6) for (let k = Math.floor(random() * 4); k >= 0; k--) text += pick(PIECES);
      else if (r < 0.8) text = randomBytes(Math.floor(random() * 40)).toString('latin1');
      const change: TextDocumentContentChangeEvent = {
        range: { start: { line, character }, end: { line: line + length, character: Math.floor(random() * 30) } }, text,
      };
      // Some edits run backwards or past the end: a client bug the server must shrug off.
      await client.change(uri, [change]);
      if (i % 50 === 0) {
        await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.request('textDocument/foldingRange', { textDocument: { uri } });
      }
    }
    // Replace everything with a known text: the server's copy must match the editor's again.
    const known = '---\nguide: visits\nrole: swr\n---\nI: @job-title Hi\nR: {yes}#zilch\n';
    const v = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 100_000, character: 0 } }, text: known }]);
    const p = await client.waitForDiagnostics(uri, (d) => d.version === v);
    assert.ok(p.diagnostics.some((d) => d.code === 'unknown-code' && d.range.start.line === 5 && d.range.start.character === 8), JSON.stringify(p.diagnostics));
    await stillAnswers(client, dir);
    assert.deepEqual(client.logs.filter((l) => l.type === 1).map((l) => l.message), []);
    assert.equal(await client.stop(), 0);
  });

  it('reads files of random bytes, on disk and open, of every kind', async () => {
    const bytes = (seed: number): Buffer => {
      const random = prng(seed);
      return Buffer.from(Array.from({ length: 50_000 }, () => Math.floor(random() * 256)));
    };
    // Random text on disk (files that are not text at all are refused and logged, as the last lines check).
    const text = (seed: number): string => bytes(seed).toString('utf8').replace(/\0/g, '');
    const dir = study({
      'noise.transcript': text(1), 'noise.guide.yaml': text(2), 'noise.codebook.yaml': text(3), 'binary.transcript': bytes(5),
    });
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'noise.guide.yaml')));
    assert.ok(client.logs.some((l) => /^Cannot read binary\.transcript: it is not text/.test(l.message)), 'the binary file is named in the log');
    const uri = await client.open(path.join(dir, 'open-noise.transcript'), bytes(4).toString('utf8'));
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange']) await client.request(method, { textDocument: { uri } });
    await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 3 } });
    await client.request('transcriptCoder/coverage', {});
    await stillAnswers(client, dir);
    assert.equal(await client.stop(), 0);
  });

  it('takes a 10 MB transcript without dying, and answers other documents afterwards', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    const paragraph = 'R: I went round on the Tuesday {and she let me in}#benefit/family, which was new. #risk @job-title\n\n';
    const big = `---\nguide: visits\nrole: swr\n---\n${paragraph.repeat(Math.ceil(10_000_000 / paragraph.length))}`;
    const uri = await client.open(path.join(dir, 'huge.transcript'), big);
    const p = await client.waitForDiagnostics(uri, (d) => d.version === 1);
    assert.ok(p.diagnostics.length > 0 && p.diagnostics.length <= 1000, `${p.diagnostics.length} diagnostics`);
    const small = await client.open(path.join(dir, 'small.transcript'), '---\nguide: visits\nrole: swr\n---\n#zilch\n');
    await client.waitForDiagnostics(small, (d) => d.version === 1);
    await stillAnswers(client, dir);
    const rows = await client.request<{ code: string; segments: number }[]>('transcriptCoder/codeCounts', { uri });
    assert.equal(rows.find((r) => r.code === 'risk')!.segments, Math.ceil(10_000_000 / paragraph.length));
    assert.equal(await client.stop(), 0);
  });

  it('takes a single line of a megabyte', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    const line = `R: ${'some words {a span}#benefit @job-title '.repeat(25_000)}`;
    const uri = await client.open(path.join(dir, 'line.transcript'), `---\nguide: visits\nrole: swr\n---\n${line}\n`);
    await client.waitForDiagnostics(uri, (d) => d.version === 1);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 25 } });
    assert.ok(Array.isArray(items));
    await stillAnswers(client, dir);
    assert.equal(await client.stop(), 0);
  });

  it('takes a guide of 10,000 questions', async () => {
    let guide = 'id: huge\ntitle: A very long guide\nsections:\n  - id: all\n    title: Everything\n    questions:\n';
    for (let i = 0; i < 10_000; i++) guide += `      - id: q${i}\n        text: Question number ${i}?\n`;
    const dir = study({ 'huge.guide.yaml': guide, 'h.transcript': '---\nguide: huge\n---\nI: @q17 Hello\n' });
    const client = await start({ folders: [dir] });
    const p = await client.waitForDiagnostics(uriOf(path.join(dir, 'h.transcript')));
    assert.equal(p.diagnostics.length, 1000, 'capped: 9,999 unasked questions help nobody');
    const uri = await client.open(path.join(dir, 'h.transcript'), '---\nguide: huge\n---\nI: @q17 Hello\nI: @\n');
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 4 } });
    assert.ok(items.length >= 9_999, `${items.length} items`);
    await stillAnswers(client, dir);
    assert.equal(await client.stop(), 0);
  });

  it('does not expand YAML alias bombs in guides, codebooks or front matter', async () => {
    const dir = study({
      'bomb.guide.yaml': `${ALIAS_BOMB}id: bomb\ntitle: Bomb\nsections: *i\n`,
      'bomb.codebook.yaml': `${ALIAS_BOMB}codes: *i\n`,
      'bomb.transcript': `---\n${ALIAS_BOMB}guide: visits\nskipped: *i\n---\nhello\n`,
    });
    const client = await start({ folders: [dir] });
    for (const f of ['bomb.guide.yaml', 'bomb.codebook.yaml', 'bomb.transcript']) {
      const p = await client.waitForDiagnostics(uriOf(path.join(dir, f)));
      assert.ok(p.diagnostics.length > 0, f);
    }
    const uri = await client.open(path.join(dir, 'bomb.guide.yaml'), `${ALIAS_BOMB}id: bomb\ntitle: Bomb\nsections: *i\n`);
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 12 } });
    await stillAnswers(client, dir);
    assert.equal(await client.stop(), 0);
  });

  it('logs a failing request and answers it with an empty result', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    const hover = await client.request('textDocument/hover', { textDocument: { uri: 42 }, position: null });
    assert.equal(hover, null);
    const refs = await client.request('textDocument/references', { textDocument: null, position: { line: 0, character: 0 } });
    assert.deepEqual(refs, []);
    await client.waitUntil('the failure in the log', () => client.logs.some((l) => l.type === 1 && /^Hover failed/.test(l.message)));
    await stillAnswers(client, dir);
    assert.equal(await client.stop(), 0);
  });

  it('ends with status 0 after shutdown and exit, and status 1 after exit alone', async () => {
    const dir = study();
    const polite = await start({ folders: [dir] });
    assert.equal(await polite.stop(), 0);
    const abrupt = await start({ folders: [dir] });
    assert.equal(await abrupt.exitWithoutShutdown(), 1);
  });

  it('answers every request after shutdown with InvalidRequest, as LSP says, and still exits with status 0', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    await stillAnswers(client, dir);
    assert.equal(await client.connection.sendRequest(ShutdownRequest.type), null);
    const u = uriOf(path.join(dir, 'sw01.transcript'));
    const after = [
      ['textDocument/hover', { textDocument: { uri: u }, position: { line: 6, character: 5 } }],
      ['textDocument/completion', { textDocument: { uri: u }, position: { line: 6, character: 5 } }],
      ['workspace/symbol', { query: '' }],
      ['transcriptCoder/coverage', {}],
      ['transcriptCoder/codeCounts', {}],
      ['no/suchMethod', {}],
      ['shutdown', undefined],
    ] as const;
    for (const [method, params] of after) {
      await assert.rejects(client.request(method, params), (err: { code?: number }) => {
        assert.equal(err.code, ErrorCodes.InvalidRequest, `${method} after shutdown`);
        return true;
      });
    }
    assert.equal(await client.exit(), 0);
  });

  it('runs as `transcript-coder lsp --stdio` too', async () => {
    const dir = study();
    const client = await start({ folders: [dir], command: [process.execPath, path.join(__dirname, '..', '..', 'dist', 'cli.js'), 'lsp', '--stdio'] });
    const p = await client.waitForDiagnostics(uriOf(path.join(dir, 'sw02.transcript')));
    assert.equal(p.diagnostics.length, 5);
    assert.equal(await client.stop(), 0);
  });
});

describe('speed of the language server', () => {
  it('publishes the diagnostics of an edited 200 KB transcript within 50 ms of the edit', async () => {
    const dir = study();
    const client = await start({ folders: [dir] });
    // A long interview: the guide's questions once each, and a thousand coded answers.
    const answer = 'R: She said {the visit helped, in the end}#benefit/family and we agreed the next steps with the family. #risk\n\nI: And then?\n\n';
    const chunk = answer.repeat(Math.ceil(40_000 / answer.length));
    const text = `---\nguide: visits\nrole: swr\n---\n${['job-title', 'team-size', 'experience', 'first-visit', 'worth-it'].map((q) => `I: @${q} Tell me.\n${chunk}`).join('')}`;
    assert.ok(text.length > 200_000);
    const uri = await client.open(path.join(dir, 'long.transcript'), text);
    await client.waitForDiagnostics(uri, (d) => d.version === 1);
    const lines = text.split('\n').length;
    const times: number[] = [];
    // The first edits also warm up the JavaScript engine, as a long editing session would: they are not timed.
    for (let i = -10; i < 20; i++) {
      const line = Math.floor(lines / 2) + i + 10;
      const t0 = performance.now();
      const v = await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 ? '#zilch ' : 'x' }]);
      await client.waitForDiagnostics(uri, (d) => d.version === v);
      if (i >= 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    // The first quartile, not the median: other work on a busy machine only ever adds time, and
    // a slower server (a parse per keystroke over the whole study, say) would push every edit past it.
    const quartile = times[Math.floor(times.length / 4)];
    assert.ok(quartile <= 50, `first quartile ${quartile.toFixed(1)} ms (all: ${times.map((t) => t.toFixed(0)).join(', ')})`);
    assert.equal(await client.stop(), 0);
  });
});
