/**
 * The seam between the language server's bookkeeping (documents, folders, indexing, scheduling)
 * and the requests and commands that read a study: the latter see a `StudyAccess` only, so they
 * can be read, tested and grown without knowing how the server keeps its studies.
 */
import type { CancellationToken } from 'vscode-languageserver';
import type { WorkspaceEdit } from '../core/features/types';
import type { Study } from '../core/study';
import type { StudyHost } from '../host/studyHost';
import type { StudyTarget } from '../protocol';

/** One study as a request sees it: a settled snapshot and the means to read its texts. */
export interface StudyContext {
  study: Study;
  /** The document the request named, as a key of `study`, when it named one. */
  key?: string;
  /** The study's files as the server sees them: open documents' texts over the disk. */
  host: StudyHost;
  /** A document's text as `study` parsed it (the open text, else the file); undefined when unreadable. */
  text(key: string): string | undefined;
  /** An open document's version, or null for a file that is not open. */
  version(key: string): number | null;
  /** The URI the client knows a document key by. */
  uriOf(key: string): string;
}

export interface StudyAccess {
  /**
   * The study a request is about (its `uri`'s, else the folder named, else the first), once indexed
   * and with pending edits applied; undefined when there is none or `token` was cancelled meanwhile.
   */
  target(target: StudyTarget, token?: CancellationToken): Promise<StudyContext | undefined>;
  /** Asks the client to apply `edit` (workspace/applyEdit, keys as in the study); true when it did. */
  applyEdit(edit: WorkspaceEdit, label: string, study: StudyContext): Promise<boolean>;
  /** Writes a line to the server's log. */
  log(message: string): void;
}
