/**
 * The server's side of the seam of studyAccess.ts: how requests and commands (requests.ts) get a
 * settled study, the texts its models were parsed from, and edits applied by the client.
 *
 * Freshness: a study-wide request first reads again every closed file whose size or modification
 * time changed since the study read it (a per-document request, that document's file), so that a
 * client that does not watch files, or whose file event is still on its way, gets answers about the
 * files as they are. `text(key)` then gives the very text the snapshot's model of `key` came from:
 * an open document's text at the version the study parsed, a closed file's text only while the
 * file is unchanged since; a file changed during the request is read into the study for the next
 * request, and this one gets no text for it (undefined) rather than a text its model was not made from.
 */
import {
  TextDocumentEdit, type CancellationToken, type ClientCapabilities, type Connection, type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver/node';
import type { WorkspaceEdit } from '../core/features/types';
import type { StudyTarget } from '../protocol';
import { toWorkspaceEdit } from './convert';
import type { DocContext } from './features';
import type { StudyAccess, StudyContext } from './studyAccess';
import type { LspWorkspace, StudyChange, StudyFolder } from './workspace';

/** What the seam needs of the server. */
export interface AccessServer {
  readonly workspace: LspWorkspace;
  readonly connection: Connection;
  capabilities(): ClientCapabilities;
  document(uri: string): Promise<DocContext | undefined>;
  settled(): Promise<void>;
  /** Publishes and announces what changes to studies did (as after file events). */
  applyChanges(changes: StudyChange[]): void;
}

export function createStudyAccess(server: AccessServer): StudyAccess {
  const ws = server.workspace;

  const contextOf = (folder: StudyFolder, key: string | undefined): StudyContext => {
    const study = folder.study;
    return {
      study,
      key,
      host: folder.host,
      text(k) {
        const doc = study.get(k);
        if (!doc) return undefined;
        const open = ws.openSource(doc);
        if (open) return open.text;
        const file = ws.parsedFileText(doc);
        if (file !== 'stale') return file?.text;
        server.applyChanges(ws.refresh(folder, [k]));
        return undefined;
      },
      version: (k) => study.get(k)?.version ?? null,
      uriOf: (k) => ws.clientUri(k),
    };
  };

  return {
    async target(target: StudyTarget, token?: CancellationToken): Promise<StudyContext | undefined> {
      let folder: StudyFolder | undefined;
      let key: string | undefined;
      if (target?.uri !== undefined) {
        const ctx = await server.document(target.uri);
        folder = ctx?.loc.folder;
        key = ctx?.loc.key;
      } else {
        await server.settled();
        folder = target?.folder !== undefined ? ws.folderByUri(target.folder) : ws.studies()[0];
      }
      if (!folder || !folder.ready || token?.isCancellationRequested) return undefined;
      server.applyChanges(ws.refresh(folder, key !== undefined ? [key] : undefined));
      return contextOf(folder, key);
    },

    async applyEdit(edit: WorkspaceEdit, label: string, ctx: StudyContext): Promise<boolean> {
      // A client that takes versioned edits refuses one made for a text it has changed since.
      const lspEdit: LspWorkspaceEdit = server.capabilities().workspace?.workspaceEdit?.documentChanges
        ? {
          documentChanges: Object.entries(edit.changes)
            .map(([k, edits]) => TextDocumentEdit.create({ uri: ctx.uriOf(k), version: ctx.version(k) }, edits)),
        }
        : toWorkspaceEdit(edit, ctx.uriOf);
      const result = await server.connection.workspace.applyEdit({ label, edit: lspEdit });
      return result.applied;
    },

    log(message: string): void {
      // What requests log is what went wrong.
      server.connection.console.error(message);
    },
  };
}
