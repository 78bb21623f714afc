/**
 * "Code selection" (Ctrl+Alt+C): the server command `transcriptCoder.codeSelection` does the work
 * — it ranks the candidate codes and wraps each selection in `{…}#code` (or codes the paragraph at
 * an empty cursor) through `workspace/applyEdit` — so every LSP editor codes a passage the same way.
 *
 * vscode-languageclient registers the VS Code command of that ID itself, because the server lists it
 * in `executeCommandProvider`; registering it here too would fail. What the extension adds sits in
 * that command's middleware: invoked from the palette, a keybinding or a menu, it gathers the active
 * editor's selections, asks for the code with a quick pick of the server's candidates, and shows the
 * server's reason when it refuses.
 */
import * as vscode from 'vscode';
import type { ExecuteCommandMiddleware, ExecuteCommandSignature } from 'vscode-languageclient/node';
import {
  CodeSelectionCommand,
  type CodeCandidate, type CodeSelectionApplied, type CodeSelectionArgs, type CodeSelectionResult,
} from '../../server/src/protocol';
import { isTranscript, wireRange } from './study';
import { commandFailure } from './format';

export interface CodePick extends vscode.QuickPickItem {
  code: string;
}

/** The argument a caller that speaks the protocol passes: left to the server as it is. */
function isWireArgs(value: unknown): value is CodeSelectionArgs {
  return typeof value === 'object' && value !== null && typeof (value as { uri?: unknown }).uri === 'string';
}

function isApplied(result: CodeSelectionResult | undefined): result is CodeSelectionApplied {
  return typeof result === 'object' && result !== null && !Array.isArray(result);
}

/** What to tell the user when the server refused (its reason, in its words) or failed. */
function failureMessage(err: unknown): string {
  return commandFailure('code the selection', err);
}

export class CodeSelection implements vscode.Disposable {
  private readonly filled = new vscode.EventEmitter<vscode.QuickPick<CodePick>>();
  /** Fires when the code pick list holds the server's candidates (the extension-host tests choose from it). */
  readonly onDidFillPick = this.filled.event;

  /** The middleware of the server's commands (see `StudyClient`). */
  readonly middleware: NonNullable<ExecuteCommandMiddleware['executeCommand']> = (command, args, next) => {
    if (command !== CodeSelectionCommand || isWireArgs(args[0])) return next(command, args);
    // From the palette or the keybinding there is no argument; a menu passes the document's URI;
    // tests and callers that already know the code pass it as a string.
    return this.run(typeof args[0] === 'string' && args[0] !== '' ? args[0] : undefined, next);
  };

  /** Codes the active editor's selections; true when the edit was applied. */
  private async run(code: string | undefined, next: ExecuteCommandSignature): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isTranscript(editor.document)) {
      void vscode.window.showInformationMessage('Open a transcript and select the passage to code.');
      return false;
    }
    const base: CodeSelectionArgs = { uri: editor.document.uri.toString(), ranges: editor.selections.map(wireRange) };
    const send = (args: CodeSelectionArgs) => Promise.resolve(next(CodeSelectionCommand, [args]) as CodeSelectionResult | undefined);
    const chosen = code ?? await this.pickCode(send(base));
    if (!chosen) return false;
    let result: CodeSelectionResult | undefined;
    try {
      result = await send({ ...base, code: chosen });
    } catch (err) {
      void vscode.window.showInformationMessage(failureMessage(err));
      return false;
    }
    if (!isApplied(result)) return false;
    if (!result.applied && result.reason) void vscode.window.showInformationMessage(result.reason);
    return result.applied;
  }

  /**
   * Asks for a code from `candidates` (the server's answer, ranked as completion ranks codes);
   * undefined when the user cancels or the server refused (its reason is shown: the passage cannot
   * be coded). The list opens at once and fills when the answer arrives.
   */
  private pickCode(candidates: Promise<CodeSelectionResult | undefined>): Promise<string | undefined> {
    const pick = vscode.window.createQuickPick<CodePick>();
    pick.title = 'Code selection';
    pick.placeholder = 'Choose a code from the codebook (type to filter by path, label or definition)';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.busy = true;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (code: string | undefined, message?: string) => {
        if (done) return;
        done = true;
        resolve(code);
        pick.hide();
        if (message) void vscode.window.showInformationMessage(message);
      };
      pick.onDidAccept(() => finish((pick.selectedItems[0] ?? pick.activeItems[0])?.code));
      pick.onDidHide(() => { finish(undefined); pick.dispose(); });
      pick.show();
      candidates.then((result) => {
        if (done) return;
        if (!Array.isArray(result)) {
          finish(undefined, 'Could not list the codes for this passage.');
          return;
        }
        if (result.length === 0) {
          finish(undefined, 'There is no code to choose from: the study\'s codebooks define none yet (deprecated codes are left out).');
          return;
        }
        pick.items = result.map((c: CodeCandidate) => ({ code: c.code, label: c.code, description: c.label, detail: c.detail }));
        pick.busy = false;
        this.filled.fire(pick);
      }, (err: unknown) => finish(undefined, failureMessage(err)));
    });
  }

  dispose(): void {
    this.filled.dispose();
  }
}
