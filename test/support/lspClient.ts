/**
 * A small LSP client for tests: it starts the real server process
 * (`node dist/server.js --stdio`), speaks to it over stdio, answers the
 * requests a real editor answers (settings, progress, registrations, and
 * `workspace/applyEdit` on the documents it has open), and lets
 * a test wait for what the server sends — never for a fixed time; timeouts are
 * only a safety net.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest, ConfigurationRequest, createProtocolConnection, ExecuteCommandRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, LogMessageNotification, PublishDiagnosticsNotification,
  RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter, WorkDoneProgressCreateRequest,
  type ApplyWorkspaceEditParams, type ApplyWorkspaceEditResult, type ClientCapabilities, type FileEvent, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams,
  type Registration, type TextDocumentContentChangeEvent, type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
/** The safety net for every wait: long enough never to fire on a working server. */
export const TIMEOUT_MS = 20_000;

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** A fresh temporary folder holding `files` (relative path → text). */
export function tempStudy(files: Record<string, string | Uint8Array> = {}, name = 'study'): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tc-lsp-')), name);
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** A copy of a fixture study (a folder under test/fixtures) in a fresh temporary folder. */
export function copyFixture(name: string): string {
  const dir = tempStudy({}, name);
  cpSync(path.join(REPO, 'test', 'fixtures', name), dir, { recursive: true });
  return dir;
}

/** Removes a folder made by `tempStudy`/`copyFixture` (and the temporary folder holding it), nothing else. */
export function removeStudy(dir: string): void {
  const parent = path.dirname(dir);
  if (path.dirname(parent) !== tmpdir() || !path.basename(parent).startsWith('tc-lsp-')) {
    throw new Error(`removeStudy only removes folders made by tempStudy, not ${dir}`);
  }
  rmSync(parent, { recursive: true, force: true });
}

export interface ClientOptions {
  /** Workspace folders (absolute paths). */
  folders?: string[];
  /** Sent as `rootUri` instead of workspace folders. */
  rootUri?: string;
  /** The `transcriptCoder` settings section answered to `workspace/configuration`, per folder URI or for all. */
  settings?: unknown | ((scopeUri: string | undefined) => unknown);
  /** Advertise `workspace/configuration` (default true). */
  configuration?: boolean;
  /** Advertise work-done progress (default true). */
  progress?: boolean;
  /** Advertise dynamic registration of watched files (default true). */
  watchedFiles?: boolean;
  initializationOptions?: unknown;
  /** The server command (default: node dist/server.js --stdio). */
  command?: string[];
  /** Advertise versioned `documentChanges` in workspace edits (default true). */
  documentChanges?: boolean;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface Received {
  method: string;
  params: unknown;
}

export class LspClient {
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every notification from the server, in order. */
  readonly received: Received[] = [];
  readonly registrations: Registration[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly logs: { type: number; message: string }[] = [];
  /** Every `workspace/applyEdit` the server sent, in order. */
  readonly applyEditRequests: ApplyWorkspaceEditParams[] = [];
  /** Whether `workspace/applyEdit` is applied (true) or declined, as a user may. */
  acceptEdits = true;
  exitCode: number | null | undefined;
  stderr = '';
  initializeResult!: InitializeResult;
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  private waiters = new Set<Waiter>();
  private exited: Promise<number | null>;
  settings: ClientOptions['settings'];

  private constructor(readonly proc: ChildProcess, readonly connection: ProtocolConnection) {
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code) => {
        this.exitCode = code;
        resolve(code);
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(new Error(`the server exited (status ${code}) while the test waited\n${this.stderr}`));
        }
        this.waiters.clear();
      });
    });
    proc.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
  }

  /** Starts the server and completes `initialize`/`initialized`. */
  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const [cmd, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
    const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, connection);
    client.settings = options.settings;
    client.listen();
    connection.listen();

    const folders = (options.folders ?? []).map((f) => ({ uri: uriOf(f), name: path.basename(f) }));
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration ?? true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: options.watchedFiles ?? true },
        didChangeConfiguration: { dynamicRegistration: true },
        applyEdit: true,
        workspaceEdit: { documentChanges: options.documentChanges ?? true },
        executeCommand: { dynamicRegistration: false },
      },
      window: { workDoneProgress: options.progress ?? true },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: true, dataSupport: true, versionSupport: true },
        completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        rename: { prepareSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } }, dataSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
    };
    const init = connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.rootUri ?? folders[0]?.uri ?? null,
      workspaceFolders: options.rootUri ? null : folders,
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    // A server that dies at start must fail the test, not hang it.
    const died = client.exited.then((code) => { throw new Error(`the server exited during initialize (status ${code})\n${client.stderr}`); });
    client.initializeResult = await Promise.race([init, died]);
    void died.catch(() => undefined);
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.record(PublishDiagnosticsNotification.method, p);
    });
    c.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p);
      this.record(LogMessageNotification.method, p);
    });
    for (const method of ['transcriptCoder/indexChanged', 'window/showMessage', '$/progress']) {
      c.onNotification(method, (params: unknown) => this.record(method, params));
    }
    c.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests.push(p);
      return p.items.map((item) => (typeof this.settings === 'function'
        ? (this.settings as (s: string | undefined) => unknown)(item.scopeUri)
        : this.settings ?? null));
    });
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    c.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
    });
    c.onRequest(ApplyWorkspaceEditRequest.type, (p) => this.applyWorkspaceEdit(p));
  }

  /**
   * Applies a workspace edit as an editor does: to the open documents' texts (then sent back as
   * changes), all or nothing; refused when it names a document that is not open here or an older
   * version than the one open.
   */
  private async applyWorkspaceEdit(p: ApplyWorkspaceEditParams): Promise<ApplyWorkspaceEditResult> {
    this.applyEditRequests.push(p);
    if (!this.acceptEdits) return { applied: false, failureReason: 'declined by the test' };
    const perDocument: { uri: string; version?: number | null; edits: TextEdit[] }[] = [];
    for (const [uri, edits] of Object.entries(p.edit.changes ?? {})) perDocument.push({ uri, edits });
    for (const change of p.edit.documentChanges ?? []) {
      if (!('textDocument' in change)) return { applied: false, failureReason: 'file operations are not supported here' };
      perDocument.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits: change.edits as TextEdit[] });
    }
    for (const d of perDocument) {
      if (!this.texts.has(d.uri)) return { applied: false, failureReason: `${d.uri} is not open` };
      if (d.version !== undefined && d.version !== null && d.version !== this.versions.get(d.uri)) {
        return { applied: false, failureReason: `${d.uri} is at version ${this.versions.get(d.uri)}, not ${d.version}` };
      }
    }
    for (const d of perDocument) await this.replaceAll(d.uri, applyEdits(this.texts.get(d.uri)!, d.edits));
    return { applied: true };
  }

  /** The text of an open document as this client has it (after the edits it applied). */
  textOf(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** Runs a server command (`workspace/executeCommand`). */
  executeCommand<R>(command: string, argument: unknown): Promise<R> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }) as Promise<R>;
  }

  private record(method: string, params: unknown): void {
    this.received.push({ method, params });
    for (const w of [...this.waiters]) {
      if (w.test()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves once `test` holds (checked now and after every notification). */
  waitUntil(what: string, test: () => boolean, timeout = TIMEOUT_MS): Promise<void> {
    if (test()) return Promise.resolve();
    if (this.exitCode !== undefined) return Promise.reject(new Error(`the server has exited; cannot wait for ${what}`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        test, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(`timed out waiting for ${what}\nserver log:\n${this.logs.map((l) => l.message).join('\n')}\n${this.stderr}`));
        }, timeout),
      };
      this.waiters.add(w);
    });
  }

  /** The diagnostics of `uri` once a publication satisfies `test` (the latest one counts too). */
  async waitForDiagnostics(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    await this.waitUntil(`diagnostics of ${uri}`, () => {
      const p = this.diagnostics.get(uri);
      return p !== undefined && test(p);
    });
    return this.diagnostics.get(uri)!;
  }

  /** The first notification `method` received from now on whose params satisfy `test`. */
  async nextNotification<T>(method: string, test: (p: T) => boolean = () => true): Promise<T> {
    const from = this.received.length;
    let found: T | undefined;
    await this.waitUntil(`notification ${method}`, () => {
      for (let i = from; i < this.received.length; i++) {
        const r = this.received[i];
        if (r.method === method && test(r.params as T)) {
          found = r.params as T;
          return true;
        }
      }
      return false;
    });
    return found!;
  }

  notifications<T>(method: string): T[] {
    return this.received.filter((r) => r.method === method).map((r) => r.params as T);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async open(file: string, text: string, languageId = languageOf(file)): Promise<string> {
    const uri = file.includes(':') && !path.isAbsolute(file) ? file : uriOf(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends edits; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    // Each change applies to the text the one before it left, as in LSP.
    const tracked = this.texts.get(uri);
    if (tracked !== undefined) this.texts.set(uri, changes.reduce((t, c) => ('range' in c ? applyEdits(t, [{ range: c.range, newText: c.text }]) : c.text), tracked));
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Replaces the whole text through one incremental edit. */
  async replaceAll(uri: string, text: string): Promise<number> {
    const old = this.texts.get(uri) ?? '';
    const lines = old.split(/\r\n|\r|\n/);
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileEvents(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async configurationChanged(settings: unknown = null): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  /** `shutdown` then `exit`; resolves with the process's exit status. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** `exit` without `shutdown`. */
  exitWithoutShutdown(): Promise<number | null> {
    return this.exit();
  }

  /** `exit` alone (after a `shutdown` the test sent itself, or without one); resolves with the process's exit status. */
  async exit(): Promise<number | null> {
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** Ends the process however it stands (for `after` hooks). */
  kill(): void {
    if (this.exitCode === undefined) this.proc.kill();
    this.connection.dispose();
  }
}

function languageOf(file: string): string {
  return file.endsWith('.transcript') ? 'transcript' : file.endsWith('.yaml') ? 'yaml' : 'plaintext';
}

/** Applies LSP text edits to a text (edits must not overlap; insertions at one place stand in the order given, as LSP says). */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }): number => {
    if (p.line >= starts.length) return text.length;
    return Math.min(starts[p.line] + p.character, p.line + 1 < starts.length ? starts[p.line + 1] : text.length);
  };
  // Applied from the end backwards; at one offset the later edit first, so that the earlier stands before it.
  const sorted = edits.map((e, i) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText, i }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The text a range covers. */
export function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l]);
  parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}
