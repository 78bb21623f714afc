/**
 * The VS Code side of Transcript Coder (SPEC §7), kept thin: the language
 * server does the analysis; this file wires its results into views, commands,
 * a webview and the status bar. Nothing here runs workspace code or uses the network.
 */
import * as vscode from 'vscode';
import { CodesProvider } from './codesView';
import { CoverageProvider, type CoverageNode } from './coverageView';
import { CodeDecorations } from './decorations';
import { codeSelection } from './editing';
import { exportCoverage, exportSegments, newTranscript, openExampleStudy, type NewTranscriptArgs } from './files';
import { exportRefi, exportRefiCodebook, importRefiCodebook } from './interop';
import { ReportPanel, type ExportFormat } from './reportPanel';
import { CoverageStatus } from './statusBar';
import { StudyClient } from './study';
import { revealQuestion } from './studyText';

/** What `activate` returns: the extension's parts, for the extension-host tests. */
export interface TranscriptCoderApi {
  study: StudyClient;
  codes: CodesProvider;
  coverage: CoverageProvider;
  report: ReportPanel;
  status: CoverageStatus;
}

export async function activate(context: vscode.ExtensionContext): Promise<TranscriptCoderApi> {
  const study = new StudyClient(context);
  context.subscriptions.push(study);
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
  context.subscriptions.push(
    codes, coverage, report, status, new CodeDecorations(study),
    vscode.window.createTreeView('transcriptCoder.codes', { treeDataProvider: codes, showCollapseAll: true }),
    vscode.window.createTreeView('transcriptCoder.coverage', { treeDataProvider: coverage, showCollapseAll: true }),
  );

  const commands: Record<string, (...args: never[]) => unknown> = {
    'transcriptCoder.showCoverageReport': (resource?: vscode.Uri) => report.show(resource instanceof vscode.Uri ? resource : undefined),
    'transcriptCoder.exportCoverage': (format?: ExportFormat, target?: vscode.Uri) => exportCoverage(study, format, target),
    'transcriptCoder.exportSegments': (target?: vscode.Uri) => exportSegments(study, target instanceof vscode.Uri ? target : undefined),
    'transcriptCoder.codeSelection': (code?: string) => codeSelection(study, typeof code === 'string' ? code : undefined),
    'transcriptCoder.newTranscript': (args?: NewTranscriptArgs) => newTranscript(study, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {}),
    'transcriptCoder.openExampleStudy': (parent?: vscode.Uri, open?: boolean) => openExampleStudy(context, parent, open ?? true),
    'transcriptCoder.restartServer': () => study.restart(),
    'transcriptCoder.codes.showStudy': () => codes.setScope('study'),
    'transcriptCoder.codes.showActiveFile': () => codes.setScope('file'),
    'transcriptCoder.codes.refresh': () => codes.refresh(),
    'transcriptCoder.codes.goToDefinition': async (node?: { kind?: string; row?: { code: string }; folder?: vscode.WorkspaceFolder }) => {
      if (node?.kind !== 'code' || !node.row) return;
      const def = (await codes.definitionsFor(node.folder)).get(node.row.code);
      if (def) await vscode.window.showTextDocument(def.uri, { selection: def.range });
    },
    'transcriptCoder.coverage.refresh': () => coverage.refresh(),
    'transcriptCoder.coverage.openQuestion': async (node?: CoverageNode) => {
      if (node?.kind !== 'question') return;
      const found = await revealQuestion(vscode.Uri.parse(node.guide.uri), node.id);
      if (!found) void vscode.window.showWarningMessage(`The guide no longer defines the question ${node.id}.`);
    },
    'transcriptCoder.exportRefi': (target?: vscode.Uri) => exportRefi(target instanceof vscode.Uri ? target : undefined),
    'transcriptCoder.exportCodebook': (target?: vscode.Uri) => exportRefiCodebook(target instanceof vscode.Uri ? target : undefined),
    'transcriptCoder.importCodebook': (source?: vscode.Uri, target?: vscode.Uri) => importRefiCodebook(source instanceof vscode.Uri ? source : undefined, target),
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

  return { study, codes, coverage, report, status };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the language client stops with it.
}
