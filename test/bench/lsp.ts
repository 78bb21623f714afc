/**
 * Language-server measurements over stdio, with the real server process and a
 * plain LSP client (no editor). Definitions of each figure are in docs/performance.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { median, percentile, round, rssMb } from './stats';

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Requests answered with nothing (null or an empty list): a sign the feature or the position is off. */
  empty: number;
}

export interface LspFigures {
  /** initialize sent → initialize answered. */
  initializeMs: number | null;
  /** initialize sent → the indexing progress ended (null if the server reported none). */
  progressEndMs: number | null;
  /** initialize sent → the opened transcript's diagnostics equal those of `check`. */
  openDiagnosticsMs: number | null;
  /** max(progressEndMs, openDiagnosticsMs): the index is built and the opened file is checked against it. */
  indexMs: number | null;
  /** initialize sent → every file `check` finds problems in has had its diagnostics published. */
  allDiagnosticsMs: number | null;
  /** What the server logged about its scan ("Indexed … in N ms"), if anything. */
  serverLog: string[];
  completion: Latency | null;
  hover: Latency | null;
  definition: Latency | null;
  references: Latency | null;
  /** The references requests on the most used code (with how many locations it has), and on everything else. */
  referencesCommon: (Latency & { locations: number }) | null;
  referencesOther: Latency | null;
  /** Mean locations per references answer, to read the latencies against. */
  referencesMeanLocations: number | null;
  /** Median of the rename runs, and how many text edits the rename made. */
  renameMs: number | null;
  renameRuns: number[];
  renameEdits: number | null;
  didChange: Latency | null;
  /** `transcriptCoder/matrix` over the whole study, the four kinds of table together, and each alone. */
  matrix: Latency | null;
  matrixByTable: Record<string, Latency>;
  rssMb: number | null;
  rssAfterMb: number | null;
  /** Figures that could not be taken, and why. */
  missing: string[];
}

export interface ExpectedDiagnostic {
  file: string;
  code: string;
  severity: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface LspOptions {
  serverJs: string;
  /** Extra Node options for the server process (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  study: string;
  /** Study-relative path of the transcript opened first (its diagnostics mark the index as ready). */
  probe: string;
  /** The diagnostics `check --format json` gives for the whole study. */
  expected: ExpectedDiagnostic[];
  /** Study-relative paths of transcripts to open for requests. */
  openForRequests: string[];
  longTranscript: string;
  commonCode: string;
  requests: number;
  edits: number;
  renameRuns: number;
  seed: number;
  timeoutMs: number;
}

interface Token {
  kind: '#' | '@';
  line: number;
  /** UTF-16 column of the sigil. */
  character: number;
  length: number;
  text: string;
}

/** The code and marker tokens of a transcript body, with UTF-16 positions (what LSP counts by default). */
export function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let inFrontMatter = lines[0] === '---';
  const re = /(?<=^|[\s([{}])([#@])([\p{L}\p{N}_]+(?:[-./][\p{L}\p{N}_]+)*)/gu;
  lines.forEach((line, i) => {
    if (inFrontMatter) {
      if (i > 0 && line === '---') inFrontMatter = false;
      return;
    }
    for (const m of line.matchAll(re)) {
      if (/^\p{N}+$/u.test(m[2])) continue;
      out.push({ kind: m[1] as '#' | '@', line: i, character: m.index!, length: m[0].length, text: m[0] });
    }
  });
  return out;
}

class Lcg {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number { this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0; return this.s / 4294967296; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
}

function latency(samples: number[], empty: number): Latency {
  return { n: samples.length, p50: round(median(samples), 2), p95: round(percentile(samples, 95), 2), max: round(Math.max(...samples), 1), empty };
}

function isEmpty(r: unknown): boolean {
  if (r === null || r === undefined) return true;
  if (Array.isArray(r)) return r.length === 0;
  if (typeof r === 'object' && 'items' in r && Array.isArray((r as { items: unknown[] }).items)) return (r as { items: unknown[] }).items.length === 0;
  return false;
}

function sameDiagnostics(got: { code?: string | number; severity?: number; range: ExpectedDiagnostic['range'] }[], want: ExpectedDiagnostic[]): boolean {
  const sev: Record<string, number> = { error: 1, warning: 2, information: 3, hint: 4 };
  const key = (code: unknown, severity: unknown, r: ExpectedDiagnostic['range']): string =>
    `${String(code)} ${String(severity)} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  const a = got.map((d) => key(d.code, d.severity, d.range)).sort();
  const b = want.map((d) => key(d.code, sev[d.severity], d.range)).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function countEdits(edit: unknown): number {
  if (!edit || typeof edit !== 'object') return 0;
  const e = edit as { changes?: Record<string, unknown[]>; documentChanges?: { edits?: unknown[] }[] };
  let n = 0;
  if (e.changes) for (const list of Object.values(e.changes)) n += list.length;
  if (e.documentChanges) for (const dc of e.documentChanges) n += dc.edits?.length ?? 0;
  return n;
}

/** Starts the server on the study, measures, and shuts it down. Never throws for a missing feature: it is listed in `missing`. */
export async function measureLsp(o: LspOptions): Promise<LspFigures> {
  const fig: LspFigures = {
    initializeMs: null, progressEndMs: null, openDiagnosticsMs: null, indexMs: null, allDiagnosticsMs: null, serverLog: [],
    completion: null, hover: null, definition: null, references: null, referencesCommon: null, referencesOther: null, referencesMeanLocations: null, renameMs: null, renameRuns: [], renameEdits: null, matrix: null, matrixByTable: {},
    didChange: null, rssMb: null, rssAfterMb: null, missing: [],
  };
  const uriOf = (rel: string): string => pathToFileURL(path.join(o.study, rel)).href;
  const root = pathToFileURL(o.study).href;
  const proc: ChildProcess = spawn(process.execPath, [...(o.nodeArgs ?? []), o.serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let exited = false;
  const exit = new Promise<never>((_, reject) => proc.on('exit', (code) => { exited = true; reject(new Error(`the server exited (status ${code}): ${stderr.slice(-2000)}`)); }));
  exit.catch(() => undefined);
  const conn: ProtocolConnection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));

  // Everything the server sends, time-stamped.
  const diagnosticsSeen = new Map<string, number>();
  type Waiter = (uri: string, version: number | undefined, diags: unknown[]) => boolean;
  const waiters = new Set<Waiter>();
  let progressBegun = false;
  let progressEnded: number | undefined;
  const progressWaiters = new Set<() => void>();
  let t0 = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    if (!diagnosticsSeen.has(p.uri)) diagnosticsSeen.set(p.uri, performance.now() - t0);
    for (const w of [...waiters]) if (w(p.uri, p.version, p.diagnostics)) waiters.delete(w);
  });
  conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
    if (p.value?.kind === 'begin') progressBegun = true;
    if (p.value?.kind === 'end') {
      progressEnded = performance.now() - t0;
      for (const w of progressWaiters) w();
      progressWaiters.clear();
    }
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => { if (/indexed/i.test(p.message)) fig.serverLog.push(p.message); });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification('window/showMessage', () => undefined);
  conn.onNotification('transcriptCoder/indexChanged', () => undefined);
  conn.listen();

  const withTimeout = <T>(p: Promise<T>, what: string, ms = o.timeoutMs): Promise<T> =>
    Promise.race([p, exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref())]);
  const waitDiagnostics = (pred: Waiter, what: string, ms?: number): Promise<void> =>
    withTimeout(new Promise<void>((resolve) => { waiters.add((u, v, d) => (pred(u, v, d) ? (resolve(), true) : false)); }), what, ms);

  try {
    // ---- start-up and index
    const probeUri = uriOf(o.probe);
    const probeText = readFileSync(path.join(o.study, o.probe), 'utf8');
    const probeExpected = o.expected.filter((d) => d.file === o.probe);
    let openMatched: number | undefined;
    const probeMatched = waitDiagnostics((u, _v, d) => {
      if (u !== probeUri || !sameDiagnostics(d as never, probeExpected)) return false;
      openMatched = performance.now() - t0;
      return true;
    }, 'the opened transcript\'s diagnostics');
    probeMatched.catch(() => undefined);
    const filesWithProblems = new Set(o.expected.map((d) => uriOf(d.file)));
    const allPublished = new Promise<number>((resolve) => {
      const check = (): boolean => {
        for (const u of filesWithProblems) if (!diagnosticsSeen.has(u)) return false;
        resolve(performance.now() - t0);
        return true;
      };
      waiters.add(() => check());
    });

    t0 = performance.now();
    await withTimeout(conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: path.basename(o.study) }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { workspaceFolders: true, configuration: false },
        textDocument: {
          synchronization: { didSave: false },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          completion: { completionItem: { snippetSupport: false } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
        },
      },
    }), 'initialize');
    fig.initializeMs = round(performance.now() - t0);
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: probeUri, languageId: 'transcript', version: 1, text: probeText } });

    await probeMatched.catch((err: Error) => { fig.missing.push(`index: ${err.message}`); });
    fig.openDiagnosticsMs = openMatched === undefined ? null : round(openMatched);
    if (progressBegun && progressEnded === undefined) {
      await withTimeout(new Promise<void>((resolve) => progressWaiters.add(resolve)), 'the end of indexing progress').catch((err: Error) => fig.missing.push(err.message));
    }
    fig.progressEndMs = progressEnded === undefined ? null : round(progressEnded);
    if (!progressBegun) fig.missing.push('progress: the server reported no indexing progress ($/progress)');
    if (fig.openDiagnosticsMs !== null) fig.indexMs = round(Math.max(fig.openDiagnosticsMs, fig.progressEndMs ?? 0));
    fig.allDiagnosticsMs = await withTimeout(allPublished, 'diagnostics of every file with problems').then(round, (err: Error) => { fig.missing.push(err.message); return null; });

    // Let the start-up check finish before measuring requests: quiet for 300 ms.
    let last = performance.now();
    waiters.add(() => { last = performance.now(); return false; });
    while (performance.now() - last < 300) await new Promise((r) => setTimeout(r, 50));
    fig.rssMb = rssMb(proc.pid!);

    // ---- requests at varied positions in open transcripts
    const rng = new Lcg(o.seed);
    const docs = o.openForRequests.map((rel) => {
      const text = readFileSync(path.join(o.study, rel), 'utf8');
      return { uri: uriOf(rel), text, tokens: tokensOf(text) };
    });
    for (const d of docs) await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: 'transcript', version: 1, text: d.text } });
    const positions = (kindMix: number, inside: 'middle' | 'partial'): { uri: string; position: { line: number; character: number }; token: string }[] => {
      const out = [];
      for (let i = 0; i < o.requests + 10; i++) {
        const d = rng.pick(docs);
        const want = rng.next() < kindMix ? '#' : '@';
        const candidates = d.tokens.filter((t) => t.kind === want);
        const t = rng.pick(candidates.length ? candidates : d.tokens);
        // `partial`: the cursor a few characters into the token, as while typing; `middle`: anywhere on it.
        const offset = inside === 'partial' ? Math.min(t.length, 1 + Math.floor(rng.next() * 4)) : 1 + Math.floor(rng.next() * (t.length - 1));
        out.push({ uri: d.uri, position: { line: t.line, character: t.character + offset }, token: t.text });
      }
      return out;
    };
    const common: number[] = [];
    const other: number[] = [];
    let commonLocations = 0;
    let locations = 0;
    const measure = async (method: string, feature: string, at: ReturnType<typeof positions>, extra: object = {}): Promise<Latency | null> => {
      const samples: number[] = [];
      let empty = 0;
      try {
        for (let i = 0; i < at.length; i++) {
          const s = performance.now();
          const r = await withTimeout(conn.sendRequest(method, { textDocument: { uri: at[i].uri }, position: at[i].position, ...extra }), method);
          const ms = performance.now() - s;
          if (i < 10) continue; // JIT warm-up
          samples.push(ms);
          if (isEmpty(r)) empty++;
          if (method === 'textDocument/references' && Array.isArray(r)) {
            const isCommon = at[i].token === `#${o.commonCode}`;
            (isCommon ? common : other).push(ms);
            if (isCommon) commonLocations = r.length;
            locations += r.length;
          }
        }
      } catch (err) {
        fig.missing.push(`${feature}: ${(err as Error).message.split('\n')[0]}`);
        return null;
      }
      if (empty === samples.length) fig.missing.push(`${feature}: every answer was empty`);
      return latency(samples, empty);
    };
    fig.completion = await measure('textDocument/completion', 'completion', positions(0.75, 'partial'));
    fig.hover = await measure('textDocument/hover', 'hover', positions(0.75, 'middle'));
    fig.definition = await measure('textDocument/definition', 'definition', positions(0.75, 'middle'));
    fig.references = await measure('textDocument/references', 'references', positions(0.85, 'middle'), { context: { includeDeclaration: true } });
    if (common.length) fig.referencesCommon = { ...latency(common, 0), locations: commonLocations };
    if (other.length) fig.referencesOther = latency(other, 0);
    if (fig.references) fig.referencesMeanLocations = Math.round(locations / fig.references.n);

    // ---- the Analysis page's tables: each of the four kinds, over the whole study
    try {
      const tables = ['question', 'transcript', 'code', 'role'];
      const all: number[] = [];
      const rounds = Math.max(5, Math.round(o.requests / 10));
      for (const by of tables) {
        const samples: number[] = [];
        for (let i = 0; i < rounds + 2; i++) {
          const s = performance.now();
          const m = await withTimeout(conn.sendRequest('transcriptCoder/matrix', { by }), 'matrix') as { rows: unknown[] };
          const ms = performance.now() - s;
          if (m.rows.length === 0) throw new Error(`the table by ${by} came back empty`);
          if (i < 2) continue; // JIT warm-up
          samples.push(ms);
        }
        fig.matrixByTable[by] = latency(samples, 0);
        all.push(...samples);
      }
      fig.matrix = latency(all, 0);
    } catch (err) {
      fig.missing.push(`matrix: ${(err as Error).message.split('\n')[0]}`);
    }

    // ---- rename of the most used code
    const renameAt = docs.flatMap((d) => d.tokens.filter((t) => t.text === `#${o.commonCode}`).map((t) => ({ uri: d.uri, t })))[0];
    if (!renameAt) fig.missing.push(`rename: no use of #${o.commonCode} in the opened transcripts`);
    else {
      const position = { line: renameAt.t.line, character: renameAt.t.character + renameAt.t.length - 2 };
      try {
        for (let i = 0; i < o.renameRuns; i++) {
          const s = performance.now();
          const edit = await withTimeout(conn.sendRequest('textDocument/rename', { textDocument: { uri: renameAt.uri }, position, newName: `did-not-engage-${i}` }), 'rename');
          fig.renameRuns.push(round(performance.now() - s));
          fig.renameEdits = countEdits(edit);
        }
        fig.renameMs = round(median(fig.renameRuns));
        if (!fig.renameEdits) fig.missing.push('rename: the server answered with no edits');
      } catch (err) {
        fig.missing.push(`rename: ${(err as Error).message.split('\n')[0]}`);
      }
    }

    // ---- didChange → publishDiagnostics in the long transcript
    const longUri = uriOf(o.longTranscript);
    const longText = readFileSync(path.join(o.study, o.longTranscript), 'utf8');
    const lines = longText.split('\n');
    const turnLines = lines.map((l, i) => (l.startsWith('R: ') ? i : -1)).filter((i) => i >= 0);
    let version = 1;
    const opened = waitDiagnostics((u) => u === longUri, 'diagnostics of the opened long transcript', 30_000);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: longUri, languageId: 'transcript', version, text: longText } });
    await opened.catch(() => undefined); // A server may not publish again what it already published.
    const changes: number[] = [];
    try {
      for (let i = 0; i < o.edits + 3; i++) {
        // Type an unknown code after a speaker label, then take it out again: each edit changes the diagnostics.
        const line = rng.pick(turnLines);
        const inserted = '#bench-typo ';
        const at = { line, character: 3 };
        version++;
        const v = version;
        const published = waitDiagnostics((u, pv) => u === longUri && (pv === undefined || pv === v), 'diagnostics after an edit', 30_000);
        const s = performance.now();
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri: longUri, version: v }, contentChanges: [{ range: { start: at, end: at }, text: inserted }] });
        await published;
        const ms = performance.now() - s;
        if (i >= 3) changes.push(ms);
        version++;
        const v2 = version;
        const undone = waitDiagnostics((u, pv) => u === longUri && (pv === undefined || pv === v2), 'diagnostics after an undo', 30_000);
        const s2 = performance.now();
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri: longUri, version: v2 }, contentChanges: [{ range: { start: at, end: { line, character: 3 + inserted.length } }, text: '' }] });
        await undone;
        if (i >= 3) changes.push(performance.now() - s2);
      }
      fig.didChange = latency(changes, 0);
    } catch (err) {
      fig.missing.push(`didChange: ${(err as Error).message.split('\n')[0]}`);
    }
    fig.rssAfterMb = rssMb(proc.pid!);
  } catch (err) {
    fig.missing.push(`server: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    if (!exited) {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 'shutdown', 5000);
        await conn.sendNotification('exit');
      } catch {
        // Killed below.
      }
      await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      if (!exited) proc.kill('SIGKILL');
    }
    conn.dispose();
  }
  return fig;
}
