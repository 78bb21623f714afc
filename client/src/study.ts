/**
 * The connection to the language server: starts it, types the custom requests
 * of protocol.ts, and turns `indexChanged` into an event the views listen to.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  CodeCountsRequest, CoverageRequest, IndexChangedNotification, SegmentsRequest,
  type CodeCountsParams, type CodeCountsResult, type CoverageParams, type CoverageResult,
  type IndexChangedParams, type SegmentsParams, type SegmentsResult,
} from '../../server/src/protocol';

export class StudyClient implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly changed = new vscode.EventEmitter<IndexChangedParams | undefined>();
  /** Fires when the server says the study changed, and after a restart. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(context: vscode.ExtensionContext) {
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

  coverage(params: CoverageParams): Promise<CoverageResult> {
    return this.client.sendRequest(CoverageRequest, params);
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

/** Whether `uri` is a transcript the server knows (saved transcripts and open untitled ones). */
export function isTranscript(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return doc !== undefined && doc.languageId === 'transcript';
}
