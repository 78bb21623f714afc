/**
 * The connection to the language server: starts it, types the custom requests and server
 * commands of protocol.ts, and turns `indexChanged` into an event the views listen to. Everything
 * the extension shows or writes about a study comes through here.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest, LanguageClient, RevealOutputChannelOn, TransportKind,
  type ExecuteCommandMiddleware, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import {
  AgreementRequest, GitRevisionsRequest, RevisionTextRequest,
  type AgreementParams, type AgreementReport, type GitRevisionsParams, type GitRevisionsResult, type RevisionTextParams, type RevisionTextResult,
  CodeCountsRequest, CodeDefinitionsRequest, CoverageHtmlRequest, CoverageRequest, DecorationsRequest,
  ExportCommand, ImportCommand, IndexChangedNotification, MatrixRequest, MemosRequest, PseudonymiseCommand, QuestionLocationRequest, SegmentsRequest,
  type CodeCountsParams, type CodeCountsResult, type CodeDefinitionsParams, type CodeDefinitionsResult,
  type CoverageHtmlParams, type CoverageParams, type CoverageResult, type DecorationsParams, type DecorationsResult,
  type ExportArgs, type ExportResult, type ImportArgs, type ImportResult, type IndexChangedParams, type PseudonymiseArgs, type PseudonymiseResult,
  type MatrixParams, type MatrixResult, type MemosParams, type MemosResult,
  type QuestionLocationParams, type SegmentsParams, type SegmentsResult, type WireLocation, type WireRange,
} from '../../server/src/protocol';

export class StudyClient implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly changed = new vscode.EventEmitter<IndexChangedParams | undefined>();
  /** Fires when the server says the study changed, and after a restart. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /**
   * `executeCommand` is the middleware of the server's own commands: vscode-languageclient registers
   * a VS Code command for each command the server lists, and calls this before sending it.
   */
  constructor(context: vscode.ExtensionContext, executeCommand: ExecuteCommandMiddleware['executeCommand']) {
    const module = context.asAbsolutePath('dist/server.js');
    // IPC rather than stdio: nothing the server prints can corrupt the protocol stream.
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'transcript' },
        { scheme: 'untitled', language: 'transcript' },
        { scheme: 'file', pattern: '**/*.guide.yaml' },
        { scheme: 'file', pattern: '**/*.codebook.yaml' },
      ],
      // File events need no client-side watcher: the server registers the ones it needs.
      synchronize: { configurationSection: 'transcriptCoder' },
      outputChannelName: 'Transcript Coder',
      // A failed request is logged in the output channel, not shown as "Request … failed": the
      // extension says in its own words what went wrong with what the user asked for, and a
      // server refusal (a selection that cannot be coded, a file it will not replace) in the server's.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: { executeCommand },
    };
    this.client = new LanguageClient('transcriptCoder', 'Transcript Coder', serverOptions, clientOptions);
    // Registered before start, so it holds across restarts too.
    this.disposables.push(this.client.onNotification(IndexChangedNotification, (p: IndexChangedParams) => this.changed.fire(p)));
  }

  start(): Promise<void> {
    return this.client.start();
  }

  async restart(): Promise<void> {
    await this.client.restart();
    this.changed.fire(undefined);
  }

  codeCounts(params: CodeCountsParams): Promise<CodeCountsResult> {
    return this.client.sendRequest(CodeCountsRequest, params);
  }

  segments(params: SegmentsParams): Promise<SegmentsResult> {
    return this.client.sendRequest(SegmentsRequest, params);
  }

  matrix(params: MatrixParams): Promise<MatrixResult> {
    return this.client.sendRequest(MatrixRequest, params);
  }

  memos(params: MemosParams): Promise<MemosResult> {
    return this.client.sendRequest(MemosRequest, params);
  }

  coverage(params: CoverageParams): Promise<CoverageResult> {
    return this.client.sendRequest(CoverageRequest, params);
  }

  coverageHtml(params: CoverageHtmlParams): Promise<string> {
    return this.client.sendRequest(CoverageHtmlRequest, params);
  }

  codeDefinitions(params: CodeDefinitionsParams): Promise<CodeDefinitionsResult> {
    return this.client.sendRequest(CodeDefinitionsRequest, params);
  }

  questionLocation(params: QuestionLocationParams): Promise<WireLocation | null> {
    return this.client.sendRequest(QuestionLocationRequest, params);
  }

  decorations(params: DecorationsParams, token?: vscode.CancellationToken): Promise<DecorationsResult> {
    return this.client.sendRequest(DecorationsRequest, params, token);
  }

  /** Compares two coders' copies (the JSON of `agree`); cancelled with `token`. */
  agreement(params: AgreementParams, token?: vscode.CancellationToken): Promise<AgreementReport> {
    return this.client.sendRequest(AgreementRequest, params, token);
  }

  gitRevisions(params: GitRevisionsParams): Promise<GitRevisionsResult> {
    return this.client.sendRequest(GitRevisionsRequest, params);
  }

  revisionText(params: RevisionTextParams, token?: vscode.CancellationToken): Promise<RevisionTextResult> {
    return this.client.sendRequest(RevisionTextRequest, params, token);
  }

  /** Has the server write an export of a study (the CLI's bytes). Rejects with the server's reason when it refuses. */
  exportStudy(args: ExportArgs): Promise<ExportResult> {
    return this.serverCommand(ExportCommand, args);
  }

  /** Has the server turn a REFI-QDA codebook into a codebook file. Rejects with the server's reason when it refuses. */
  importCodebook(args: ImportArgs): Promise<ImportResult> {
    return this.serverCommand(ImportCommand, args);
  }

  /** Has the server replace every listed name of a study by its pseudonym (or, with `dryRun`, count them). */
  pseudonymise(args: PseudonymiseArgs): Promise<PseudonymiseResult> {
    return this.serverCommand(PseudonymiseCommand, args);
  }

  /**
   * Sends a server command straight to the server: the export and import commands need a file
   * name the extension asks for first, so they are not run through the VS Code commands that
   * vscode-languageclient registers for the server's commands.
   */
  private serverCommand<A, R>(command: string, args: A): Promise<R> {
    return this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }) as Promise<R>;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.client.stop();
  }
}

/** The workspace folder a request is about: the given resource's, the active editor's, else the first. */
export function folderFor(resource?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  const uri = resource ?? vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** Whether `doc` is a transcript the server knows (saved transcripts and open untitled ones). */
export function isTranscript(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return doc !== undefined && doc.languageId === 'transcript';
}

/** A wire range as the editor's. */
export function toRange(r: WireRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** An editor range as the wire's. */
export function wireRange(r: vscode.Range): WireRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
