/**
 * The VS Code side of Transcript Coder (SPEC §7), kept thin: the language server reads the study
 * and does every analysis, export and edit; this file wires its answers (the requests and commands
 * of protocol.ts) into views, commands, a webview and the status bar. Nothing here reads or parses
 * a study file, runs workspace code or uses the network.
 */
import * as vscode from 'vscode';
import { AgreementPanel, REVISION_SCHEME, RevisionContentProvider, type CompareArgs } from './agreementPanel';
import { CodeSelection } from './codeSelection';
import { CodesProvider } from './codesView';
import { CoverageProvider, type CoverageNode } from './coverageView';
import { CodeDecorations } from './decorations';
import { AnalysisPanel } from './analysisPanel';
import { exportCoverage, exportStudy, exportTable, importCodebook } from './exports';
import { MemosProvider } from './memosView';
import { newTranscript, openExampleStudy, type NewTranscriptArgs } from './files';
import { Imports } from './imports';
import { pseudonymiseStudy } from './privacy';
import { ReportPanel, type ExportFormat } from './reportPanel';
import { CoverageStatus } from './statusBar';
import { StudyClient } from './study';
import type { MemoRow } from '../../server/src/protocol';

/** What `activate` returns: the extension's parts, for the extension-host tests. */
export interface TranscriptCoderApi {
  study: StudyClient;
  codes: CodesProvider;
  coverage: CoverageProvider;
  report: ReportPanel;
  status: CoverageStatus;
  decorations: CodeDecorations;
  codeSelection: CodeSelection;
  agreement: AgreementPanel;
  analysis: AnalysisPanel;
  memos: MemosProvider;
}

export async function activate(context: vscode.ExtensionContext): Promise<TranscriptCoderApi> {
  // `transcriptCoder.codeSelection` is a server command: vscode-languageclient registers it once the
  // server has started, and runs it through this middleware.
  // So are the import commands, whose middleware asks for files, a guide and a role.
  const codeSelection = new CodeSelection();
  const imports = new Imports(() => study);
  const study: StudyClient = new StudyClient(context, (command, args, next) =>
    imports.handles(command) ? imports.middleware(command, args, next) : codeSelection.middleware(command, args, next));
  context.subscriptions.push(codeSelection, study);
  try {
    await study.start();
  } catch (err) {
    // The views and commands are still registered, so "Restart Language Server" can recover.
    void vscode.window.showErrorMessage(`Transcript Coder could not start its language server: ${err instanceof Error ? err.message : String(err)}`);
  }

  const codes = new CodesProvider(study);
  const coverage = new CoverageProvider(study);
  const report = new ReportPanel(study, (format: ExportFormat, folder) => exportCoverage(study, format, undefined, folder));
  const status = new CoverageStatus(study);
  const decorations = new CodeDecorations(study);
  const agreement = new AgreementPanel(study);
  const analysis = new AnalysisPanel(study, (format, table, folder) => exportTable(study, table, format, undefined, folder));
  const memos = new MemosProvider(study);
  context.subscriptions.push(
    codes, coverage, report, status, decorations, agreement, analysis, memos,
    vscode.workspace.registerTextDocumentContentProvider(REVISION_SCHEME, new RevisionContentProvider(study)),
    vscode.window.createTreeView('transcriptCoder.memos', { treeDataProvider: memos, showCollapseAll: true }),
    vscode.window.createTreeView('transcriptCoder.codes', { treeDataProvider: codes, showCollapseAll: true }),
    vscode.window.createTreeView('transcriptCoder.coverage', { treeDataProvider: coverage, showCollapseAll: true }),
  );

  const commands: Record<string, (...args: never[]) => unknown> = {
    'transcriptCoder.showCoverageReport': (resource?: vscode.Uri) => report.show(resource instanceof vscode.Uri ? resource : undefined),
    'transcriptCoder.exportCoverage': (format?: ExportFormat, target?: vscode.Uri, redact?: boolean) =>
      exportCoverage(study, format === 'csv' || format === 'md' ? format : undefined, asUri(target), undefined, asFlag(redact)),
    'transcriptCoder.exportSegments': (target?: vscode.Uri, redact?: boolean) => exportStudy(study, 'segments-csv', asUri(target), undefined, { redact: asFlag(redact) }),
    'transcriptCoder.pseudonymiseStudy': (resource?: vscode.Uri, confirmed?: boolean) => pseudonymiseStudy(study, asUri(resource), confirmed === true),
    'transcriptCoder.newTranscript': (args?: NewTranscriptArgs) => newTranscript(study, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}),
    'transcriptCoder.openExampleStudy': (parent?: vscode.Uri, open?: boolean) => openExampleStudy(context, parent, open ?? true),
    'transcriptCoder.compareCoders': (args?: CompareArgs) => agreement.compare(args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}),
    'transcriptCoder.restartServer': () => study.restart(),
    'transcriptCoder.codes.showStudy': () => codes.setScope('study'),
    'transcriptCoder.codes.showActiveFile': () => codes.setScope('file'),
    'transcriptCoder.codes.refresh': () => codes.refresh(),
    'transcriptCoder.codes.goToDefinition': async (node?: { kind?: string; row?: { code: string }; folder?: vscode.WorkspaceFolder }) => {
      if (node?.kind !== 'code' || !node.row) return;
      const found = await codes.revealDefinition(node.row.code, node.folder);
      if (!found) void vscode.window.showWarningMessage(`No codebook defines the code ${node.row.code} any more.`);
    },
    'transcriptCoder.coverage.refresh': () => coverage.refresh(),
    'transcriptCoder.coverage.openQuestion': async (node?: CoverageNode) => {
      if (node?.kind !== 'question') return;
      const found = await coverage.revealQuestion(node.guide.uri, node.id);
      if (!found) void vscode.window.showWarningMessage(`The guide no longer defines the question ${node.id}.`);
    },
    'transcriptCoder.showAnalysis': (resource?: vscode.Uri, by?: string) =>
      analysis.show(resource instanceof vscode.Uri ? resource : undefined, typeof by === 'string' ? by : undefined),
    // The table shown on the Analysis page (by question when the page was never opened).
    'transcriptCoder.exportAnalysis': (format?: ExportFormat, target?: vscode.Uri) =>
      exportTable(study, analysis.table, format === 'csv' || format === 'md' ? format : undefined, asUri(target)),
    'transcriptCoder.memos.refresh': () => memos.refresh(),
    'transcriptCoder.memos.open': (memo?: MemoRow) => (memo && typeof memo.uri === 'string' ? MemosProvider.open(memo) : undefined),
    'transcriptCoder.exportRefi': (target?: vscode.Uri, redact?: boolean) => exportStudy(study, 'refi', asUri(target), undefined, { redact: asFlag(redact) }),
    'transcriptCoder.exportCodebook': (target?: vscode.Uri) => exportStudy(study, 'qdc', asUri(target)),
    'transcriptCoder.importCodebook': (source?: vscode.Uri, target?: vscode.Uri) => importCodebook(study, asUri(source), asUri(target)),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        void vscode.window.showErrorMessage(`Transcript Coder: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    }));
  }

  return { study, codes, coverage, report, status, decorations, codeSelection, agreement, analysis, memos };
}

/** A command's yes/no argument; anything else (a menu's tree item) leaves the choice to the user. */
function asFlag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A command's URI argument; menus pass other things (a tree item, a folder) that are not targets. */
function asUri(value: unknown): vscode.Uri | undefined {
  return value instanceof vscode.Uri ? value : undefined;
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the language client stops with it.
}
