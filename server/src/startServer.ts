/**
 * The language server (SPEC §6): LSP handlers that find the document's study,
 * call the core and convert the result. Every handler catches its own failures,
 * logs them and answers with an empty result, so one bad document never takes
 * the server down. All state lives in the `TranscriptServer` made by `runServer`.
 */
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  LSPErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, WatchKind,
  type CancellationToken, type ClientCapabilities, type CodeAction as LspCodeAction, type Connection,
  type Diagnostic as LspDiagnostic, type InitializeParams, type InitializeResult, type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeCounts, codedSegments } from './core/counts';
import { coverageReport, type CoverageReport } from './core/coverage';
import { diagnose, type Diagnostic } from './core/diagnostics';
import {
  getCodeActions, getCompletions, getDefinition, getDocumentSymbols, getFoldingRanges, getHover, getReferences,
  getWorkspaceSymbols, prepareRename, rename,
} from './core/languageService';
import { Study, type TranscriptDocument } from './core/study';
import type { Range } from './core/text';
import {
  flattenSymbols, fromLspDiagnostic, toCodeAction, toCompletionItem, toDocumentSymbol, toFoldingRange, toHover,
  toLocation, toLspDiagnostic, toSymbolInformation, toWorkspaceEdit, type OutUri,
} from './lsp/convert';
import { LspWorkspace, settingsFrom, type Located, type StudyChange, type StudyFolder } from './lsp/workspace';
import {
  CodeCountsRequest, CoverageRequest, IndexChangedNotification, SegmentsRequest,
  type CodeCountsParams, type CodeCountsResult, type CoverageParams, type CoverageResult, type IndexChangedParams,
  type SegmentsParams, type SegmentsResult,
} from './protocol';
import type { StudySettings } from './host/studyHost';

/** Edits are applied this soon after the first of a burst, so a burst costs one parse; later for a huge document. */
const FLUSH_DELAY_MS = 5;
const FLUSH_DELAY_LARGE_MS = 250;
const LARGE_DOCUMENT = 1_000_000;
/** Diagnostics sent per document at most: beyond this a list helps nobody and only slows the editor. */
const MAX_DIAGNOSTICS = 1000;
/** A guide or codebook edit re-checks the whole study once typing pauses this long. */
const STUDY_WIDE_DELAY_MS = 150;
/** `indexChanged` waits for this much quiet, and never longer than the maximum after the first change. */
const INDEX_CHANGED_DELAY_MS = 300;
const INDEX_CHANGED_MAX_WAIT_MS = 2000;
/** A whole-study re-check yields to waiting requests this often. */
const YIELD_EVERY_MS = 15;

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function errorText(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Starts the language server on the process's stdio (or IPC, when the client chose it). */
export function runServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // A failure outside any handler is logged, never fatal, unless the client is gone.
  const unexpected = (err: unknown): void => {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') process.exit(1);
    try {
      connection.console.error(`Unexpected failure: ${errorText(err)}`);
    } catch {
      // Nowhere left to report it.
    }
  };
  process.on('unhandledRejection', unexpected);
  process.on('uncaughtException', unexpected);
  new TranscriptServer(connection).listen();
}

interface DocContext {
  loc: Located;
  study: Study;
}

class TranscriptServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace: LspWorkspace;
  private capabilities: ClientCapabilities = {};
  private initSettings: Partial<StudySettings> = {};
  /** Settings pushed by `workspace/didChangeConfiguration` from clients that do not answer `workspace/configuration`. */
  private pushedSettings: Partial<StudySettings> = {};
  private canPullConfiguration = false;
  /** Key → the diagnostics last sent (JSON), so that unchanged ones are not sent again. */
  private readonly published = new Map<string, string>();
  /** Open documents edited since the last flush, by client URI. */
  private readonly dirty = new Map<string, TextDocument>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly studyWideTimers = new Map<StudyFolder, NodeJS.Timeout>();
  /** The latest whole-study re-check of each folder; an older one stops when a newer starts. */
  private readonly studyWideRuns = new Map<StudyFolder, number>();
  private readonly changedFolders = new Set<string>();
  private indexChangedTimer: NodeJS.Timeout | undefined;
  private firstChangeAt = 0;
  private shuttingDown = false;
  /** Closes and file events still reading the disk: requests wait for them, so they see a settled study. */
  private readonly settling = new Set<Promise<void>>();
  private readonly out: OutUri = (key) => this.workspace.clientUri(key);

  constructor(private readonly connection: Connection) {
    this.workspace = new LspWorkspace({ open: this.documents, log: (m) => connection.console.warn(m) });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => { this.initialized().catch((err) => this.fail('Start-up', err)); });
    c.onShutdown(() => this.shutdown());

    this.documents.onDidChangeContent((e) => this.markDirty(e.document));
    this.documents.onDidClose((e) => this.settle(this.onClose(e.document.uri), 'Closing a document'));
    this.documents.listen(c);

    c.onDidChangeWatchedFiles((p) => this.settle(this.onFileEvents(p.changes), 'Following file changes'));
    c.onDidChangeConfiguration((p) => { this.onConfigurationChange(p.settings).catch((err) => this.fail('Reading settings', err)); });

    c.onCompletion(this.handler('Completion', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      if (!ctx) return [];
      const text = await this.textOf(ctx);
      return getCompletions(ctx.study, ctx.loc.key, text, p.position, this.workspace.openVersion(ctx.loc.key)).map(toCompletionItem);
    }));
    c.onHover(this.handler('Hover', null, async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      const h = ctx && getHover(ctx.study, ctx.loc.key, p.position);
      return h ? toHover(h) : null;
    }));
    c.onDefinition(this.handler('Go to definition', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      return ctx ? getDefinition(ctx.study, ctx.loc.key, p.position).map((l) => toLocation(l, this.out)) : [];
    }));
    c.onReferences(this.handler('Find references', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      return ctx
        ? getReferences(ctx.study, ctx.loc.key, p.position, p.context?.includeDeclaration ?? true).map((l) => toLocation(l, this.out))
        : [];
    }));
    c.onPrepareRename(this.handler('Rename', null, async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      const r = ctx && prepareRename(ctx.study, ctx.loc.key, p.position);
      if (!r) return null;
      if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
      return { range: r.range, placeholder: r.placeholder };
    }));
    c.onRenameRequest(this.handler('Rename', null, async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      if (!ctx) return null;
      const r = rename(ctx.study, ctx.loc.key, p.position, p.newName);
      if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
      return toWorkspaceEdit(r.edit, this.out);
    }));
    c.onCodeAction(this.handler('Quick fixes', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      if (!ctx) return [];
      const text = await this.textOf(ctx);
      const { ours, origin } = this.ourDiagnostics(ctx, p.context.diagnostics ?? []);
      const only = p.context.only;
      return getCodeActions(ctx.study, ctx.loc.key, text, p.range, ours, this.workspace.openVersion(ctx.loc.key))
        .map((a) => toCodeAction(a, origin, this.out))
        .filter((a: LspCodeAction) => !only?.length || only.some((k) => a.kind === k || a.kind?.startsWith(`${k}.`)));
    }));
    c.onDocumentSymbol(this.handler('Outline', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      if (!ctx) return [];
      const symbols = getDocumentSymbols(ctx.study, ctx.loc.key);
      return this.capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport
        ? symbols.map(toDocumentSymbol)
        : flattenSymbols(symbols, p.textDocument.uri);
    }));
    c.onFoldingRanges(this.handler('Folding', [], async (p) => {
      const ctx = await this.context(p.textDocument.uri);
      return ctx ? getFoldingRanges(ctx.study, ctx.loc.key).map(toFoldingRange) : [];
    }));
    c.onWorkspaceSymbol(this.handler('Workspace symbols', [], async (p) => {
      await Promise.all([...this.workspace.workspaceFolders().map((f) => f.whenReady), ...this.settling]);
      this.flush();
      return this.workspace.studies().filter((f) => f.ready)
        .flatMap((f) => getWorkspaceSymbols(f.study, p.query).map((s) => toSymbolInformation(s, this.out)));
    }));

    c.onRequest(CodeCountsRequest, this.handler('Code counts', [] as CodeCountsResult, (p: CodeCountsParams) => this.codeCounts(p)));
    c.onRequest(SegmentsRequest, this.handler('Coded segments', [] as SegmentsResult, (p: SegmentsParams) => this.segments(p)));
    c.onRequest(CoverageRequest, this.handler('Coverage', { guides: [] } as CoverageResult, (p: CoverageParams) => this.coverage(p)));

    c.listen();
  }

  /** Wraps a request handler: a refusal goes to the client as an error; any other failure is logged and answered with `empty`. */
  private handler<P, R>(what: string, empty: R, run: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await run(params, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        this.fail(what, err);
        return empty;
      }
    };
  }

  /** Runs disk work in the background, logging its failure, and lets requests wait for it. */
  private settle(work: Promise<void>, what: string): void {
    const p = work.catch((err) => this.fail(what, err)).finally(() => this.settling.delete(p));
    this.settling.add(p);
  }

  private fail(what: string, err: unknown): void {
    this.connection.console.error(`${what} failed: ${errorText(err)}`);
  }

  // ---------------------------------------------------------------- life cycle

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities ?? {};
    this.initSettings = settingsFrom(params.initializationOptions);
    this.workspace.singleSettings = LspWorkspace.mergeSettings({}, this.initSettings, undefined);
    this.canPullConfiguration = this.capabilities.workspace?.configuration === true;
    const folders = params.workspaceFolders?.length
      ? params.workspaceFolders
      : params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.replace(/\/+$/, '').split('/').pop() ?? '' }] : [];
    for (const f of folders) this.workspace.addFolder(f.uri, f.name);
    const td = this.capabilities.textDocument;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['#', '@', '/'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: td?.rename?.prepareSupport ? { prepareProvider: true } : true,
        codeActionProvider: td?.codeAction?.codeActionLiteralSupport ? { codeActionKinds: ['quickfix', 'refactor'] } : true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Transcript Coder' },
    };
  }

  private async initialized(): Promise<void> {
    const ws = this.capabilities.workspace;
    // Registrations are not awaited: indexing need not wait for the client's answer.
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.transcript' },
          { globPattern: '**/*.guide.yaml' },
          { globPattern: '**/*.codebook.yaml' },
          { globPattern: '**/.vscode/settings.json' },
          // Folders moved, copied or deleted bring or take the study files below them.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      }).catch((err) => this.fail('Watching files', err));
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'transcriptCoder' })
        .catch((err) => this.fail('Following settings', err));
    }
    if (ws?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        // Folders that held an added or removed one gain or lose its files: they are scanned again.
        const rescan = new Set<StudyFolder>();
        for (const f of e.removed) {
          const folder = this.workspace.removeFolder(f.uri);
          if (!folder) continue;
          for (const outer of this.workspace.enclosing(folder)) rescan.add(outer);
          // Its files' diagnostics go, unless another folder (nested in it, or holding it) takes them.
          for (const key of [...this.published.keys()]) {
            if (key.startsWith(`${folder.key}/`) && !this.workspace.ownerOf(key)) this.clear(key);
          }
        }
        const added = e.added.map((f) => this.workspace.addFolder(f.uri, f.name));
        for (const folder of added) for (const outer of this.workspace.enclosing(folder)) rescan.add(outer);
        this.index(added).catch((err) => this.fail('Indexing', err));
        for (const folder of rescan) this.rescan(folder).catch((err) => this.fail('Indexing', err));
        // Open documents of a removed folder now stand alone.
        for (const doc of this.documents.all()) this.markDirty(doc);
      });
    }
    await this.index(this.workspace.workspaceFolders());
  }

  private shutdown(): void {
    this.shuttingDown = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.indexChangedTimer);
    for (const t of this.studyWideTimers.values()) clearTimeout(t);
  }

  // ---------------------------------------------------------------- indexing

  /** Reads the settings of `folders`, then scans them, with progress shown when the client can show it. */
  private async index(folders: StudyFolder[]): Promise<void> {
    if (folders.length === 0) return;
    const started = Date.now();
    try {
      for (const f of folders) this.workspace.applySettings(f, await this.settingsOf(f));
      const lists = folders.map((f) => this.workspace.listFiles(f));
      const total = lists.reduce((n, l) => n + l.length, 0);
      const progress = await this.progress(total);
      let done = 0;
      let lastReport = 0;
      for (let i = 0; i < folders.length; i++) {
        const built = await this.workspace.scanFolder(folders[i], lists[i], () => {
          done++;
          const now = Date.now();
          if (progress && (now - lastReport > 100 || done === total)) {
            lastReport = now;
            progress.report(total ? Math.round((done / total) * 100) : 100, `Indexing ${count(done)}/${count(total)} files`);
          }
        });
        if (built) this.studyRebuilt(folders[i]);
      }
      progress?.done();
      this.connection.console.info(`Indexed ${count(total)} study files in ${folders.length} folder${folders.length === 1 ? '' : 's'} in ${Date.now() - started} ms.`);
    } finally {
      // Requests waiting on a folder whose scan failed get empty answers rather than none.
      for (const f of folders) f.settle();
    }
  }

  private async progress(total: number): Promise<WorkDoneProgressServerReporter | undefined> {
    if (!this.capabilities.window?.workDoneProgress) return undefined;
    try {
      const reporter = await this.connection.window.createWorkDoneProgress();
      reporter.begin('Transcript Coder', 0, `Indexing 0/${count(total)} files`);
      return reporter;
    } catch {
      return undefined; // The client declined: index without showing progress.
    }
  }

  /** After a (re)scan: clear what left the study, check everything, tell views. */
  private studyRebuilt(folder: StudyFolder): void {
    for (const key of [...this.published.keys()]) {
      if (this.workspace.ownerOf(key) === folder && !folder.study.get(key)) this.clear(key);
    }
    this.rediagnoseStudy(folder, true).catch((err) => this.fail('Checking the study', err));
    this.indexChanged(folder);
  }

  // ---------------------------------------------------------------- settings

  private async settingsOf(folder: StudyFolder): Promise<StudySettings> {
    let fromClient: Partial<StudySettings> = this.pushedSettings;
    if (this.canPullConfiguration) {
      try {
        const value: unknown = await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'transcriptCoder' });
        fromClient = { ...this.pushedSettings, ...settingsFrom(value) };
      } catch (err) {
        this.fail('Reading settings', err);
      }
    }
    return LspWorkspace.mergeSettings(fromClient, this.initSettings, folder.root);
  }

  private async onConfigurationChange(settings: unknown): Promise<void> {
    if (!this.canPullConfiguration) this.pushedSettings = settingsFrom(settings);
    this.workspace.singleSettings = LspWorkspace.mergeSettings(this.pushedSettings, this.initSettings, undefined);
    for (const single of this.workspace.studies().filter((f) => f.single)) {
      single.settings = this.workspace.singleSettings;
      this.rediagnoseStudy(single, false).catch((err) => this.fail('Checking the study', err));
    }
    await Promise.all(this.workspace.workspaceFolders().map((f) => this.reloadSettings(f)));
  }

  /** Re-reads a folder's settings: new exclusions mean a new scan, new severities a new check. */
  private async reloadSettings(folder: StudyFolder): Promise<void> {
    const settings = await this.settingsOf(folder);
    if (this.workspace.applySettings(folder, settings)) await this.rescan(folder);
    else await this.rediagnoseStudy(folder, false);
  }

  /** Scans a folder again (after its first scan), e.g. when its exclusions change. */
  private async rescan(folder: StudyFolder): Promise<void> {
    await folder.whenReady;
    if (!this.workspace.workspaceFolders().includes(folder)) return;
    if (await this.workspace.scanFolder(folder, this.workspace.listFiles(folder), () => undefined)) this.studyRebuilt(folder);
  }

  // ---------------------------------------------------------------- document and file events

  private markDirty(doc: TextDocument): void {
    this.dirty.set(doc.uri, doc);
    if (!this.flushTimer) {
      const delay = doc.getText().length > LARGE_DOCUMENT ? FLUSH_DELAY_LARGE_MS : FLUSH_DELAY_MS;
      this.flushTimer = setTimeout(() => this.flush(), delay);
    }
  }

  /** Applies pending edits to their studies and publishes the edited documents' diagnostics. Requests call it first. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.dirty.size === 0) return;
    const docs = [...this.dirty.values()];
    this.dirty.clear();
    for (const doc of docs) {
      try {
        // A document closed since its edit is the close handler's business.
        if (this.documents.get(doc.uri) !== doc) continue;
        const change = this.workspace.setOpenText(doc);
        if (change) this.applyChange(change, true);
      } catch (err) {
        this.fail(`Reading ${doc.uri}`, err);
      }
    }
  }

  private async onClose(uri: string): Promise<void> {
    this.dirty.delete(uri);
    const change = await this.workspace.closed(uri);
    if (change) this.applyChange(change, false);
  }

  private async onFileEvents(changes: { uri: string; type: number }[]): Promise<void> {
    const seen = new Set<string>();
    const events: { uri: string; type: 'created' | 'changed' | 'deleted' }[] = [];
    const settingsOf = new Set<StudyFolder>();
    for (const c of changes) {
      const id = `${c.type} ${c.uri}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (/\/\.vscode\/settings\.json$/.test(c.uri)) {
        const folder = this.workspace.workspaceFolders().find((f) => this.workspace.folderByUri(c.uri.replace(/\/\.vscode\/settings\.json$/, '')) === f);
        if (folder) settingsOf.add(folder);
        continue;
      }
      events.push({ uri: c.uri, type: c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed' });
    }
    for (const change of await this.workspace.filesChanged(events)) this.applyChange(change, false);
    for (const folder of settingsOf) await this.reloadSettings(folder);
  }

  /** Publishes what a change affects: the changed documents now; the whole study soon when a guide or codebook changed. */
  private applyChange(change: StudyChange, edited: boolean): void {
    for (const key of change.removed) this.clear(key);
    for (const key of change.changed) this.publish(change.folder, key, edited);
    if (change.studyWide) this.scheduleStudyWide(change.folder);
    this.indexChanged(change.folder);
  }

  // ---------------------------------------------------------------- diagnostics

  /** Sends a document's diagnostics when they differ from the last sent (or always, when `force`). */
  private publish(folder: StudyFolder, key: string, force: boolean): void {
    if (this.shuttingDown) return;
    const diagnostics = folder.study.get(key)
      ? diagnose(folder.study, key, folder.settings.severity).slice(0, MAX_DIAGNOSTICS).map((d) => toLspDiagnostic(d, this.out))
      : [];
    const json = JSON.stringify(diagnostics);
    const before = this.published.get(key);
    if (!force && (before === json || (before === undefined && diagnostics.length === 0))) return;
    this.published.set(key, json);
    this.connection.sendDiagnostics({ uri: this.out(key), version: this.workspace.openVersion(key), diagnostics });
  }

  private clear(key: string): void {
    const before = this.published.get(key);
    this.published.delete(key);
    if (before !== undefined && before !== '[]' && !this.shuttingDown) this.connection.sendDiagnostics({ uri: this.out(key), diagnostics: [] });
  }

  private scheduleStudyWide(folder: StudyFolder): void {
    clearTimeout(this.studyWideTimers.get(folder));
    this.studyWideTimers.set(folder, setTimeout(() => {
      this.studyWideTimers.delete(folder);
      this.rediagnoseStudy(folder, false).catch((err) => this.fail('Checking the study', err));
    }, STUDY_WIDE_DELAY_MS));
  }

  /** Re-checks every document of a study, open ones first, yielding now and then; a newer run stops this one. */
  private async rediagnoseStudy(folder: StudyFolder, forceOpen: boolean): Promise<void> {
    const run = (this.studyWideRuns.get(folder) ?? 0) + 1;
    this.studyWideRuns.set(folder, run);
    const keys = folder.study.documents().map((d) => d.uri);
    const open = keys.filter((k) => this.workspace.isOpen(k));
    const rest = keys.filter((k) => !this.workspace.isOpen(k));
    const ordered = [...open, ...rest];
    let slice = Date.now();
    for (let i = 0; i < ordered.length; i++) {
      if (Date.now() - slice > YIELD_EVERY_MS) {
        await nextTick();
        if (this.studyWideRuns.get(folder) !== run) return;
        slice = Date.now();
      }
      try {
        this.publish(folder, ordered[i], forceOpen && i < open.length);
      } catch (err) {
        this.fail(`Checking ${ordered[i]}`, err);
      }
    }
  }

  /** Recovers the `data` of diagnostics a client sent back without it, so quick fixes still work. */
  private ourDiagnostics(ctx: DocContext, sent: LspDiagnostic[]): { ours: Diagnostic[]; origin: LspDiagnostic[] } {
    const ours: Diagnostic[] = [];
    const origin: LspDiagnostic[] = [];
    let fresh: Diagnostic[] | undefined;
    for (const d of sent) {
      const core = fromLspDiagnostic(d);
      if (!core) continue;
      if (!core.data) {
        fresh ??= diagnose(ctx.study, ctx.loc.key, ctx.loc.folder.settings.severity);
        const match = fresh.find((f) => f.code === core.code && sameRange(f.range, core.range));
        if (match?.data) core.data = match.data;
      }
      ours.push(core);
      origin.push(d);
    }
    return { ours, origin };
  }

  // ---------------------------------------------------------------- indexChanged

  private indexChanged(folder: StudyFolder): void {
    this.changedFolders.add(folder.uri);
    const now = Date.now();
    if (!this.indexChangedTimer) this.firstChangeAt = now;
    clearTimeout(this.indexChangedTimer);
    const wait = Math.max(0, Math.min(INDEX_CHANGED_DELAY_MS, this.firstChangeAt + INDEX_CHANGED_MAX_WAIT_MS - now));
    this.indexChangedTimer = setTimeout(() => {
      this.indexChangedTimer = undefined;
      const params: IndexChangedParams = { folders: [...this.changedFolders] };
      this.changedFolders.clear();
      if (!this.shuttingDown) this.connection.sendNotification(IndexChangedNotification, params);
    }, wait);
  }

  // ---------------------------------------------------------------- requests

  /** The study of a document, once its folder is indexed and pending edits are applied. */
  private async context(uri: string): Promise<DocContext | undefined> {
    if (this.settling.size) await Promise.all(this.settling);
    this.flush();
    let loc = this.workspace.locate(uri);
    if (loc && !loc.folder.ready) {
      await loc.folder.whenReady;
      this.flush();
      loc = this.workspace.locate(uri);
    }
    if (!loc || !loc.folder.ready || !loc.folder.study.get(loc.key)) return undefined;
    return { loc, study: loc.folder.study };
  }

  private async textOf(ctx: DocContext): Promise<string> {
    return this.workspace.openText(ctx.loc.key) ?? (await this.workspace.text(ctx.loc.key)) ?? '';
  }

  /** The study a custom request is about: that of `uri`, else the folder named, else the first. */
  private async target(p: { uri?: string; folder?: string }): Promise<{ folder: StudyFolder; key?: string } | undefined> {
    if (p.uri !== undefined) {
      const ctx = await this.context(p.uri);
      return ctx && { folder: ctx.loc.folder, key: ctx.loc.key };
    }
    const folder = p.folder !== undefined ? this.workspace.folderByUri(p.folder) : this.workspace.studies()[0];
    if (!folder) return undefined;
    await folder.whenReady;
    if (this.settling.size) await Promise.all(this.settling);
    this.flush();
    return folder.ready ? { folder } : undefined;
  }

  private async codeCounts(p: CodeCountsParams): Promise<CodeCountsResult> {
    const t = await this.target(p ?? {});
    return t ? codeCounts(t.folder.study, t.key !== undefined ? { uri: t.key } : {}) : [];
  }

  private async segments(p: SegmentsParams): Promise<SegmentsResult> {
    if (typeof p?.code !== 'string') return [];
    const t = await this.target(p);
    if (!t) return [];
    const study = t.folder.study;
    const keys = t.key !== undefined ? [t.key] : [...(study.usage().codes.get(p.code)?.byDoc.keys() ?? [])];
    // The texts must match the snapshot's models: open texts now, files read meanwhile.
    const texts = new Map<string, string | undefined>();
    for (const k of keys) texts.set(k, this.workspace.openText(k));
    const unread = keys.filter((k) => texts.get(k) === undefined);
    for (let i = 0; i < unread.length; i += 64) {
      await Promise.all(unread.slice(i, i + 64).map(async (k) => { texts.set(k, await this.workspace.text(k)); }));
    }
    const rows = codedSegments(study, (k) => texts.get(k), t.key !== undefined ? { code: p.code, uri: t.key } : { code: p.code });
    return rows.map((r) => ({ ...r, uri: this.out(r.uri) }));
  }

  private async coverage(p: CoverageParams): Promise<CoverageResult> {
    const t = await this.target(p ?? {});
    if (!t) return { guides: [] };
    let study = t.folder.study;
    if (t.key !== undefined) {
      const doc = study.get(t.key);
      if (!doc || doc.kind !== 'transcript') return { guides: [] };
      // The report of this transcript alone: its guide's totals are its own.
      study = Study.fromFiles([...study.guides(), doc as TranscriptDocument].map((d) => ({ uri: d.uri, path: d.path, model: d.model })));
    }
    const report: CoverageReport = coverageReport(study);
    const guides = t.key !== undefined ? report.guides.filter((g) => g.transcripts.length > 0) : report.guides;
    return {
      guides: guides.map((g) => ({ ...g, uri: this.out(g.uri), transcripts: g.transcripts.map((r) => ({ ...r, uri: this.out(r.uri) })) })),
    };
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
