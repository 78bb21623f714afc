/**
 * The language server (SPEC §6): the connection, its life cycle and capabilities, indexing,
 * settings, and the events that change a study (edits, closes, file events, folders). The parts:
 * workspace.ts keeps the studies, scheduler.ts decides when work runs, diagnostics.ts publishes,
 * features.ts answers the standard requests, requests.ts the custom ones through the seam of
 * access.ts. All state lives in the `TranscriptServer` that `runServer` makes.
 */
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType, Message,
  MessageType, ProposedFeatures, ResponseError, ShowMessageNotification, ShutdownRequest, TextDocuments, TextDocumentSyncKind,
  WatchKind, type ClientCapabilities, type Disposable,
  type Connection, type InitializeParams, type InitializeResult, type MessageStrategy, type RequestMessage,
  type WorkDoneProgressServerReporter, type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { folderSettings, folderSettingsProblems, type StudyListing } from '../host/nodeHost';
import { mergeSettings, settingsFrom, settingsProblems } from '../host/settings';
import type { StudySettings } from '../host/studyHost';
import { IndexChangedNotification, SERVER_COMMANDS } from '../protocol';
import { createStudyAccess } from './access';
import { DiagnosticsPublisher } from './diagnostics';
import { registerFeatures, type DocContext, type FeatureServer } from './features';
import { registerStudyRequests } from './requests';
import { Scheduler } from './scheduler';
import { canonicalUri, LspWorkspace, type StudyChange, type StudyFolder } from './workspace';

function errorText(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** What every request that comes after `shutdown` is answered as. */
const AFTER_SHUTDOWN = '$/transcriptCoder/afterShutdown';

/**
 * LSP: a server that has received `shutdown` answers every later request with InvalidRequest (only the
 * `exit` notification is still obeyed). Requests are sent on to one handler that says so, whatever
 * handlers their own methods have, so none of them runs after the studies have been let go.
 */
function afterShutdownGate(): MessageStrategy {
  let shutDown = false;
  return {
    handleMessage(message, next) {
      if (!Message.isRequest(message)) return next(message);
      if (shutDown) {
        const refused: RequestMessage = { ...message, method: AFTER_SHUTDOWN, params: { method: message.method } };
        return next(refused);
      }
      if (message.method === ShutdownRequest.method) shutDown = true;
      return next(message);
    },
  };
}

/** Starts the language server on the process's stdio (or IPC, when the client chose it). */
export function runServer(): void {
  const connection = createConnection(ProposedFeatures.all, { messageStrategy: afterShutdownGate() });
  connection.onRequest(AFTER_SHUTDOWN, (p: { method?: unknown }) => {
    throw new ResponseError(ErrorCodes.InvalidRequest, `The server has been asked to shut down, so it answers no more requests (${String(p?.method)}).`);
  });
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

class TranscriptServer implements FeatureServer {
  private readonly documents = new TextDocuments(TextDocument);
  readonly workspace: LspWorkspace;
  private readonly diagnostics: DiagnosticsPublisher;
  private readonly scheduler: Scheduler;
  private clientCapabilities: ClientCapabilities = {};
  /** The `initializationOptions`, and the settings last pushed by a client that does not answer `workspace/configuration`. */
  private initOptions: unknown;
  private pushedSettings: unknown;
  private canPullConfiguration = false;
  /** The names lists outside every workspace folder being watched (their URIs, sorted), and that registration. */
  private namesWatched = '';
  private namesWatch: Promise<Disposable | undefined> | undefined;
  /** Folder key → the settings problems last logged for it, so that each is logged once until it changes. */
  private readonly settingsWarned = new Map<string, string>();

  constructor(readonly connection: Connection) {
    this.workspace = new LspWorkspace({ open: this.documents, log: (m) => connection.console.warn(m) });
    this.diagnostics = new DiagnosticsPublisher(connection, this.workspace);
    this.scheduler = new Scheduler({
      applyEdits: (uris) => this.applyEdits(uris),
      recheck: (folder, forceOpen) => this.diagnostics.recheck(folder, forceOpen),
      announce: (folders) => void this.connection.sendNotification(IndexChangedNotification, { folders }),
      fail: (what, err) => this.fail(what, err),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.initialized());
    c.onShutdown(() => {
      this.scheduler.stop();
      this.diagnostics.stop();
    });

    this.documents.onDidChangeContent((e) => this.scheduler.edited(e.document.uri, e.document.getText().length));
    this.documents.onDidClose((e) => this.onClose(e.document.uri));
    this.documents.listen(c);

    c.onDidChangeWatchedFiles((p) => this.scheduler.disk('Following file changes', () => this.onFileEvents(p.changes)));
    c.onDidChangeConfiguration((p) => this.onConfigurationChange(p.settings));

    registerFeatures(c, this);
    registerStudyRequests(c, createStudyAccess({
      workspace: this.workspace,
      connection: c,
      capabilities: () => this.clientCapabilities,
      document: (uri) => this.document(uri),
      settled: () => this.scheduler.settled(),
      applyChanges: (changes) => { for (const change of changes) this.applyChange(change, false); },
    }));
    c.listen();
  }

  fail(what: string, err: unknown): void {
    this.connection.console.error(`${what} failed: ${errorText(err)}`);
  }

  capabilities(): ClientCapabilities {
    return this.clientCapabilities;
  }

  // ---------------------------------------------------------------- life cycle

  private initialize(params: InitializeParams): InitializeResult {
    this.clientCapabilities = params.capabilities ?? {};
    this.initOptions = params.initializationOptions;
    this.workspace.singleSettings = mergeSettings(settingsFrom(this.initOptions));
    this.canPullConfiguration = this.clientCapabilities.workspace?.configuration === true;
    const folders = params.workspaceFolders?.length
      ? params.workspaceFolders
      : params.rootUri ? [{ uri: params.rootUri, name: params.rootUri.replace(/\/+$/, '').split('/').pop() ?? '' }] : [];
    for (const f of folders) this.workspace.addFolder(f.uri, f.name);
    const td = this.clientCapabilities.textDocument;
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
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Transcript Coder' },
    };
  }

  private initialized(): void {
    // Queued first, so that every request waits for the index (scheduler.ts, rule 3).
    this.index(this.workspace.workspaceFolders());
    const ws = this.clientCapabilities.workspace;
    // Registrations are not awaited: indexing need not wait for the client's answer.
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.transcript' },
          { globPattern: '**/*.guide.yaml' },
          { globPattern: '**/*.codebook.yaml' },
          { globPattern: '**/.vscode/settings.json' },
          // The names list at its default place (one set elsewhere is watched once settings are read).
          { globPattern: '**/names.private.yaml' },
          // Folders moved, copied or deleted bring or take the study files below them.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      }).catch((err) => this.fail('Watching files', err));
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'transcriptCoder' })
        .catch((err) => this.fail('Following settings', err));
    }
    if (ws?.workspaceFolders) this.connection.workspace.onDidChangeWorkspaceFolders((e) => this.foldersChanged(e));
  }

  private foldersChanged(e: WorkspaceFoldersChangeEvent): void {
    // Folders that held an added or removed one gain or lose its files: they are scanned again.
    const rescan = new Set<StudyFolder>();
    for (const f of e.removed) {
      const folder = this.workspace.removeFolder(f.uri);
      if (!folder) continue;
      for (const outer of this.workspace.enclosing(folder)) rescan.add(outer);
      this.diagnostics.clearRemoved(folder);
      this.settingsWarned.delete(folder.key);
    }
    const added = e.added.map((f) => this.workspace.addFolder(f.uri, f.name));
    for (const folder of added) for (const outer of this.workspace.enclosing(folder)) rescan.add(outer);
    this.index(added);
    for (const folder of rescan) this.rescan(folder);
    // Open documents of a removed folder now stand alone.
    for (const doc of this.documents.all()) this.scheduler.edited(doc.uri, doc.getText().length);
  }

  // ---------------------------------------------------------------- indexing

  /** Reads the settings of `folders`, then scans them, with progress shown when the client can show it. */
  private index(folders: StudyFolder[]): void {
    if (folders.length === 0) return;
    this.scheduler.disk('Indexing', async () => {
      const live = folders.filter((f) => this.workspace.isWorkspaceFolder(f));
      if (live.length === 0) return;
      const started = Date.now();
      for (const f of live) this.workspace.applySettings(f, await this.settingsOf(f));
      const listings = live.map((f) => this.workspace.listing(f));
      const total = listings.reduce((n, l) => n + l.files.length, 0);
      const progress = await this.progress(total);
      let done = 0;
      let lastReport = 0;
      try {
        for (let i = 0; i < live.length; i++) {
          const built = await this.workspace.scanFolder(live[i], listings[i].files, () => {
            done++;
            const now = Date.now();
            if (progress && (now - lastReport > 100 || done === total)) {
              lastReport = now;
              progress.report(total ? Math.round((done / total) * 100) : 100, `Indexing ${count(done)}/${count(total)} files`);
            }
          });
          if (built) this.studyRebuilt(live[i], listings[i]);
        }
      } finally {
        progress?.done();
      }
      this.connection.console.info(`Indexed ${count(total)} study files in ${live.length} folder${live.length === 1 ? '' : 's'} in ${Date.now() - started} ms.`);
    });
  }

  private async progress(total: number): Promise<WorkDoneProgressServerReporter | undefined> {
    if (!this.clientCapabilities.window?.workDoneProgress) return undefined;
    try {
      const reporter = await this.connection.window.createWorkDoneProgress();
      reporter.begin('Transcript Coder', 0, `Indexing 0/${count(total)} files`);
      return reporter;
    } catch {
      return undefined; // The client declined: index without showing progress.
    }
  }

  /** Scans a folder again (after its first scan), e.g. when its exclusions change. */
  private rescan(folder: StudyFolder): void {
    this.scheduler.disk('Indexing', () => this.scan(folder), `scan ${folder.key}`);
  }

  private async scan(folder: StudyFolder): Promise<void> {
    if (!this.workspace.isWorkspaceFolder(folder)) return;
    const listing = this.workspace.listing(folder);
    if (await this.workspace.scanFolder(folder, listing.files, () => undefined)) this.studyRebuilt(folder, listing);
  }

  /** After a (re)scan: say what could not be read, clear what left the study, check everything, tell views. */
  private studyRebuilt(folder: StudyFolder, listing: StudyListing): void {
    this.reportReading(folder, listing);
    this.diagnostics.clearGone(folder);
    this.diagnostics.publishNames(folder);
    this.watchNamesFiles();
    void this.scheduler.recheckNow(folder, true);
    this.scheduler.studyChanged(folder.uri);
  }

  /**
   * What a scan passed over and could not read: one line each in the log, and, when a study file or
   * folder could not be read, one warning that names them, since the study is then checked and
   * counted without them. (Each unreadable file also has its `unreadable-file` problem.)
   */
  private reportReading(folder: StudyFolder, listing: StudyListing): void {
    const files = [...folder.unreadable.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.workspace.logListing(listing, undefined, files);
    const message = unreadableWarning(folder.name, listing, files.map((f) => f.path));
    if (message) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  // ---------------------------------------------------------------- settings

  /**
   * A folder's settings, each field from the first source that sets it: the client's
   * `workspace/configuration` answer (or pushed settings), the `initializationOptions`, the folder's
   * `.vscode/settings.json`. What cannot be used in them is logged, once until it changes.
   */
  private async settingsOf(folder: StudyFolder): Promise<StudySettings> {
    let fromClient: unknown = this.pushedSettings;
    if (this.canPullConfiguration) {
      try {
        fromClient = await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'transcriptCoder' });
      } catch (err) {
        this.fail('Reading settings', err);
      }
    }
    const problems = [
      ...settingsProblems(fromClient, 'the editor\'s settings'),
      ...settingsProblems(this.initOptions, 'the editor\'s start-up options (initializationOptions)'),
      ...(folder.root ? folderSettingsProblems(folder.root) : []),
    ];
    if ((this.settingsWarned.get(folder.key) ?? '') !== problems.join('\n')) {
      this.settingsWarned.set(folder.key, problems.join('\n'));
      for (const p of problems) this.connection.console.warn(`Settings of ${folder.name}: ${p}.`);
    }
    return mergeSettings(settingsFrom(fromClient), settingsFrom(this.initOptions), folder.root ? folderSettings(folder.root) : {});
  }

  private onConfigurationChange(settings: unknown): void {
    if (!this.canPullConfiguration) this.pushedSettings = settings;
    this.workspace.singleSettings = mergeSettings(settingsFrom(this.pushedSettings), settingsFrom(this.initOptions));
    for (const single of this.workspace.studies().filter((f) => f.single)) {
      single.settings = this.workspace.singleSettings;
      void this.scheduler.recheckNow(single, false);
    }
    for (const folder of this.workspace.workspaceFolders()) this.reloadSettings(folder);
  }

  /**
   * Re-reads a folder's names list after its file changed: when it differs from the one the study was
   * parsed against, the folder is scanned again, so that every transcript is checked against it.
   */
  private reloadNames(folder: StudyFolder): void {
    this.scheduler.disk('Reading the names list', async () => {
      if (this.workspace.isWorkspaceFolder(folder) && this.workspace.namesChanged(folder)) await this.scan(folder);
    }, `names ${folder.key}`);
  }

  /**
   * Asks the client to watch each names list set outside every workspace folder (a file inside one is
   * already watched), when it can watch a pattern relative to any folder; otherwise such a list is read
   * again when the settings change or the server restarts.
   */
  private watchNamesFiles(): void {
    const ws = this.clientCapabilities.workspace?.didChangeWatchedFiles;
    if (!ws?.dynamicRegistration || !ws.relativePatternSupport) return;
    const outside = new Set<string>();
    for (const f of this.workspace.workspaceFolders()) {
      const key = this.workspace.namesFileKey(f);
      if (key && f.settings.namesFile !== undefined && !this.workspace.workspaceFolders().some((w) => key.startsWith(`${w.key}/`))) outside.add(key);
    }
    const wanted = [...outside].sort().join('\n');
    if (wanted === this.namesWatched) return;
    this.namesWatched = wanted;
    const previous = this.namesWatch;
    this.namesWatch = outside.size === 0 ? undefined : this.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [...outside].map((key) => {
        const slash = key.lastIndexOf('/');
        return { globPattern: { baseUri: key.slice(0, slash), pattern: decodeURIComponent(key.slice(slash + 1)) } };
      }),
    }).catch((err) => {
      this.fail('Watching the names list', err);
      return undefined;
    });
    void previous?.then((d) => d?.dispose());
  }

  /** Re-reads a folder's settings: new exclusions mean a new scan, new severities a new check. */
  private reloadSettings(folder: StudyFolder): void {
    this.scheduler.disk('Reading settings', async () => {
      if (!this.workspace.isWorkspaceFolder(folder)) return;
      const settings = await this.settingsOf(folder);
      if (this.workspace.applySettings(folder, settings)) await this.scan(folder);
      else void this.scheduler.recheckNow(folder, false);
    }, `settings ${folder.key}`);
  }

  // ---------------------------------------------------------------- changes to studies

  /** The apply-edits job: pending edits go into their studies; the edited documents' diagnostics are sent. */
  private applyEdits(uris: string[]): void {
    for (const uri of uris) {
      // A document closed since its edit is the close's business.
      const doc = this.documents.get(uri);
      if (!doc) continue;
      try {
        const change = this.workspace.setOpenText(doc);
        if (change) this.applyChange(change, true);
      } catch (err) {
        this.fail(`Reading ${uri}`, err);
      }
    }
  }

  private onClose(uri: string): void {
    this.scheduler.closed(uri);
    const gone = this.workspace.closed(uri);
    if (gone) this.applyChange(gone, false);
    else {
      this.scheduler.disk('Closing a document', () => {
        const change = this.workspace.readBack(uri);
        if (change) this.applyChange(change, false);
      }, `close ${uri}`);
    }
  }

  private onFileEvents(changes: { uri: string; type: number }[]): void {
    const seen = new Set<string>();
    const events: { uri: string; type: 'created' | 'changed' | 'deleted' }[] = [];
    const settingsOf = new Set<StudyFolder>();
    for (const c of changes) {
      const id = `${c.type} ${c.uri}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const namesOf = this.workspace.workspaceFolders().filter((f) => this.workspace.namesFileKey(f) === canonicalUri(c.uri));
      if (namesOf.length > 0) {
        for (const f of namesOf) this.reloadNames(f);
        continue;
      }
      if (/\/\.vscode\/settings\.json$/.test(c.uri)) {
        const folder = this.workspace.folderByUri(c.uri.replace(/\/\.vscode\/settings\.json$/, ''));
        if (folder && this.workspace.isWorkspaceFolder(folder)) settingsOf.add(folder);
        continue;
      }
      events.push({ uri: c.uri, type: c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed' });
    }
    for (const change of this.workspace.filesChanged(events)) this.applyChange(change, false);
    for (const folder of settingsOf) this.reloadSettings(folder);
  }

  /**
   * Publishes what a change affects: the changed documents now, with the transcripts that share (or
   * shared) a changed participant; the whole study soon when a guide or codebook changed.
   */
  private applyChange(change: StudyChange, edited: boolean): void {
    for (const key of change.removed) this.diagnostics.clear(key);
    for (const key of change.changed) this.diagnostics.publish(change.folder, key, edited);
    for (const key of change.companions ?? []) {
      if (!change.changed.includes(key) && !change.removed.includes(key)) this.diagnostics.publish(change.folder, key, false);
    }
    if (change.studyWide) this.scheduler.recheckSoon(change.folder);
    this.scheduler.studyChanged(change.folder.uri);
  }

  // ---------------------------------------------------------------- what requests read

  async document(uri: string): Promise<DocContext | undefined> {
    await this.scheduler.settled();
    const loc = this.workspace.locate(uri);
    if (!loc || !loc.folder.ready || !loc.folder.study.get(loc.key)) return undefined;
    return { loc, study: loc.folder.study };
  }

  async studies(): Promise<StudyFolder[]> {
    await this.scheduler.settled();
    return this.workspace.studies();
  }
}

/** How many names a warning lists before it says how many more there are. */
const NAMED = 5;

/**
 * The warning after a scan of the study `name` that could not read some study files or folders (`files`,
 * and the listing's folders), naming them in path order; undefined when everything was read.
 */
export function unreadableWarning(name: string, listing: StudyListing, files: string[]): string | undefined {
  const log = 'the log says why (in VS Code: Output › Transcript Coder)';
  const root = listing.unreadableFolders.find((f) => f.path === '.');
  if (root) return `Transcript Coder could not read the study folder ${name}: ${root.reason}. Nothing in it is checked until it can be read; ${log}.`;
  const folders = listing.unreadableFolders.map((f) => f.path);
  const n = files.length + folders.length;
  if (n === 0) return undefined;
  const names = [...files.map((p) => ({ p, shown: p })), ...folders.map((p) => ({ p, shown: `the folder ${p}` }))]
    .sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0)).map((x) => x.shown);
  const shown = names.length > NAMED ? [...names.slice(0, NAMED - 1), `${count(names.length - NAMED + 1)} more`] : names;
  const list = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  const what = [
    ...(files.length ? [`${count(files.length)} study file${files.length === 1 ? '' : 's'}`] : []),
    ...(folders.length ? [`${count(folders.length)} folder${folders.length === 1 ? '' : 's'}`] : []),
  ].join(' and ');
  return `Transcript Coder could not read ${what} in ${name}: ${list}. ${n === 1 ? 'It is' : 'They are'} left out of checks, counts and reports ` +
    `until ${n === 1 ? 'it' : 'they'} can be read; ${log}.`;
}
