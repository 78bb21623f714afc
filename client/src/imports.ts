/**
 * "Import Transcripts…" and "Import Interview Guide…" (SPEC §12). The server commands
 * `transcriptCoder.importTranscripts` and `transcriptCoder.importGuide` read the files and write the
 * transcripts and guides (as the CLI's `import transcript` and `import guide` do); vscode-languageclient
 * registers the VS Code commands of those IDs itself, since the server lists them. What the extension
 * adds sits in their middleware: invoked without arguments (the palette, the walkthrough), it asks for
 * the files, the folder, the guide and the role with the editor's own dialogs, then shows what was
 * written and opens it. A caller that passes the protocol's arguments goes straight to the server.
 */
import * as vscode from 'vscode';
import type { ExecuteCommandMiddleware, ExecuteCommandSignature } from 'vscode-languageclient/node';
import {
  ImportGuideCommand, ImportTranscriptsCommand,
  type ImportGuideArgs, type ImportGuideResult, type ImportTranscriptsArgs, type ImportTranscriptsResult,
} from '../../server/src/protocol';
import type { StudyClient } from './study';
import { commandFailure } from './format';

const failure = commandFailure;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

export class Imports {
  /** `study` is asked for when an import runs: the client and this middleware are made together. */
  constructor(private readonly study: () => StudyClient) {}

  /** Whether `command` is one of the two import commands, whose middleware this is. */
  handles(command: string): boolean {
    return command === ImportTranscriptsCommand || command === ImportGuideCommand;
  }

  readonly middleware: NonNullable<ExecuteCommandMiddleware['executeCommand']> = (command, args, next) => {
    if (isObject(args[0])) return next(command, args);
    return command === ImportTranscriptsCommand ? this.importTranscripts(next) : this.importGuide(next);
  };

  /** Asks for interviews, a folder, a guide and a role; has the server write the transcripts; opens the first. */
  private async importTranscripts(next: ExecuteCommandSignature): Promise<ImportTranscriptsResult | undefined> {
    const workspace = await this.pickWorkspaceFolder();
    const files = await vscode.window.showOpenDialog({
      canSelectMany: true, title: 'Import interviews (1/4): choose the files', openLabel: 'Import',
      defaultUri: workspace?.uri,
      filters: { 'Interviews (Word, subtitles, text)': ['docx', 'vtt', 'srt', 'txt'] },
    });
    if (!files || files.length === 0) return undefined;
    const folder = (await vscode.window.showOpenDialog({
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: workspace?.uri,
      title: 'Import interviews (2/4): the folder of the study to put the transcripts in', openLabel: 'Put them here',
    }))?.[0];
    if (!folder) return undefined;
    const choice = await this.pickGuideAndRole(folder);
    if (!choice) return undefined;
    const args: ImportTranscriptsArgs = { files: files.map((f) => f.toString()), folder: folder.toString(), ...choice };
    const send = async (a: ImportTranscriptsArgs): Promise<ImportTranscriptsResult | undefined> => {
      try {
        return await Promise.resolve(next(ImportTranscriptsCommand, [a]) as ImportTranscriptsResult | undefined);
      } catch (err) {
        void vscode.window.showErrorMessage(failure('import the interviews', err));
        return undefined;
      }
    };
    let result = await send(args);
    if (!result) return undefined;
    const existing = result.skipped.filter((s) => /already exists/.test(s.reason));
    if (existing.length > 0) {
      const replace = await vscode.window.showWarningMessage(
        `${existing.length === 1 ? 'A transcript of that name already exists' : `${existing.length} transcripts of those names already exist`}: ${existing.map((s) => s.reason).join(' ')}`,
        { modal: true }, 'Replace');
      if (replace === 'Replace') {
        const again = await send({ ...args, files: existing.map((s) => s.source), force: true });
        if (again) result = { written: [...result.written, ...again.written], skipped: [...result.skipped.filter((s) => !existing.includes(s)), ...again.skipped], notes: result.notes };
      } else result = { ...result, skipped: result.skipped.filter((s) => !existing.includes(s)) };
    }
    for (const s of result.skipped) void vscode.window.showWarningMessage(s.reason);
    if (result.written.length > 0) {
      const notes = [...result.written.flatMap((w) => w.notes), ...result.notes];
      void vscode.window.showInformationMessage([...result.written.map((w) => w.summary), ...notes].join(' '));
      await vscode.window.showTextDocument(vscode.Uri.parse(result.written[0].written), { preview: false });
    }
    return result;
  }

  /** Asks for a guide document and where to save the guide; has the server write it; opens it. */
  private async importGuide(next: ExecuteCommandSignature): Promise<ImportGuideResult | undefined> {
    const workspace = await this.pickWorkspaceFolder();
    const source = (await vscode.window.showOpenDialog({
      canSelectMany: false, title: 'Import an interview guide: choose the document', openLabel: 'Import', defaultUri: workspace?.uri,
      filters: { 'Interview guide (Word, Markdown, text)': ['docx', 'md', 'markdown', 'txt'] },
    }))?.[0];
    if (!source) return undefined;
    const name = source.path.slice(source.path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    const slug = name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'guide';
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(workspace?.uri ?? vscode.Uri.joinPath(source, '..'), `${slug}.guide.yaml`),
      filters: { 'Interview guide': ['yaml'] }, title: 'Save the imported guide', saveLabel: 'Save',
    });
    if (!target) return undefined;
    let result: ImportGuideResult;
    try {
      // The save dialog has asked whether to replace an existing file.
      const args: ImportGuideArgs = { source: source.toString(), target: target.toString(), overwrite: true };
      result = await Promise.resolve(next(ImportGuideCommand, [args]) as ImportGuideResult);
    } catch (err) {
      void vscode.window.showErrorMessage(failure(`import ${name}`, err));
      return undefined;
    }
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.showInformationMessage([result.summary, ...result.notes].join(' '));
    return result;
  }

  private async pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which study?' });
  }

  /** The guide and role for the new transcripts, from the study's guides; undefined when the user cancels. */
  private async pickGuideAndRole(folder: vscode.Uri): Promise<{ guide?: string; role?: string; suggestMarkers?: boolean } | undefined> {
    const workspace = vscode.workspace.getWorkspaceFolder(folder);
    let guides: { id: string; title: string; roles: { id: string; label: string }[] }[] = [];
    try {
      guides = workspace ? (await this.study().coverage({ folder: workspace.uri.toString() })).guides : [];
    } catch {
      guides = []; // no study yet: the transcripts get no guide, and say so when checked
    }
    if (guides.length === 0) return {};
    const later = { label: 'Decide later', description: 'write no guide: (add it to each transcript by hand)', id: undefined };
    const guide = guides.length === 1 ? guides[0] : (await vscode.window.showQuickPick(
      [...guides.map((g) => ({ label: g.title || g.id, description: g.id, id: g.id as string | undefined })), later],
      { title: 'Import interviews (3/4): which interview guide did these interviews follow?' },
    ).then((pick) => (pick === undefined ? null : guides.find((g) => g.id === pick.id))));
    if (guide === null) return undefined;
    if (!guide) return {};
    let role: string | undefined;
    if (guide.roles.length > 0) {
      const pick = await vscode.window.showQuickPick(
        [...guide.roles.map((r) => ({ label: r.label, description: r.id, id: r.id as string | undefined })), { label: 'Decide later', description: 'the participants have different roles', id: undefined }],
        { title: 'Import interviews (4/4): the participants\' role' },
      );
      if (!pick) return undefined;
      role = pick.id;
    }
    const markers = await vscode.window.showQuickPick([
      { label: 'Place question markers', description: 'on the interviewer\'s turns that clearly ask a question of the guide', suggest: true },
      { label: 'Leave the markers to me', description: 'add them later with "Mark as question …"', suggest: false },
    ], { title: 'Import interviews: question markers' });
    if (!markers) return undefined;
    return { guide: guide.id, ...(role === undefined ? {} : { role }), suggestMarkers: markers.suggest };
  }
}
