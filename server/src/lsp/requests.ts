/**
 * The custom requests (`transcriptCoder/*`) and server commands (`workspace/executeCommand`) of
 * protocol.ts, answered from a `StudyAccess`.
 */
import type { Connection } from 'vscode-languageserver';
import type { StudyAccess } from './studyAccess';

/** Registers every custom request and server command on `connection`. */
export function registerStudyRequests(_connection: Connection, _access: StudyAccess): void {
  // Filled in as the requests move here from the server.
}
