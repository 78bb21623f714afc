/**
 * "Pseudonymise the Study": every name of the study's names list replaced by its pseudonym, by the
 * server (`transcriptCoder.pseudonymise`, one workspace edit). The extension first asks the server
 * what it would replace (a dry run) and has the user confirm; it never reads the names list itself.
 * Tests pass `confirmed` instead of answering the dialog.
 */
import * as vscode from 'vscode';
import { COMMAND_REFUSED, type PseudonymiseResult } from '../../server/src/protocol';
import { folderFor, type StudyClient } from './study';

export async function pseudonymiseStudy(study: StudyClient, resource?: vscode.Uri, confirmed = false): Promise<PseudonymiseResult | undefined> {
  const folder = folderFor(resource);
  if (!folder) {
    void vscode.window.showWarningMessage('Open the study folder first (File › Open Folder…).');
    return undefined;
  }
  try {
    const plan = await study.pseudonymise({ folder: folder.uri.toString(), dryRun: true });
    if (plan.replaced === 0) {
      void vscode.window.showInformationMessage(`Nothing to replace in ${folder.name}. ${plan.summary.replace(/^Would replace 0 names in 0 transcripts\.\s*/, '')}`.trim());
      return plan;
    }
    if (!confirmed) {
      const go = await vscode.window.showWarningMessage(
        `${plan.summary} The transcripts are changed in place, with no backup copy: keep the study in git (or a copy) to be able to undo it.`,
        { modal: true }, 'Replace',
      );
      if (go !== 'Replace') return undefined;
    }
    const done = await study.pseudonymise({ folder: folder.uri.toString() });
    // The edit leaves the changed transcripts open and unsaved: saving them is the user's step, as after any edit.
    void vscode.window.showInformationMessage(`${done.summary} Save the changed transcripts (File › Save All) to keep the changes.`);
    return done;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | undefined)?.code;
    void vscode.window.showErrorMessage(code === COMMAND_REFUSED ? text : `Could not pseudonymise the study: ${text}`);
    return undefined;
  }
}
