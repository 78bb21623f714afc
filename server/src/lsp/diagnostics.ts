/**
 * Publishing diagnostics: what was last sent for each document, so that unchanged diagnostics are
 * not sent again; at most 1,000 per document (beyond that a list helps nobody and only slows the
 * editor; the CLI lists them all); cleared when a document leaves every study. A study file that
 * cannot be read has one problem, `unreadable-file`, saying why.
 */
import type { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { effectiveSeverity, type Severity, type SeverityOverrides } from '../core/diagnosticCodes';
import { diagnose } from '../core/diagnostics';
import { toLspDiagnostic, type OutUri } from './convert';
import type { LspWorkspace, StudyFolder, UnreadableFile } from './workspace';

export const MAX_DIAGNOSTICS = 1000;

export class DiagnosticsPublisher {
  /** Document key → the diagnostics last sent for it (JSON). */
  private readonly sent = new Map<string, string>();
  private stopped = false;
  private readonly out: OutUri;

  constructor(private readonly connection: Connection, private readonly workspace: LspWorkspace) {
    this.out = (key) => workspace.clientUri(key);
  }

  /** Sends a document's diagnostics when they differ from those last sent (or always, when `force`). */
  publish(folder: StudyFolder, key: string, force: boolean): void {
    if (this.stopped) return;
    const doc = folder.study.get(key);
    const lost = doc ? undefined : folder.unreadable.get(key);
    const diagnostics = doc
      ? diagnose(folder.study, key, folder.settings.severity).slice(0, MAX_DIAGNOSTICS).map((d) => toLspDiagnostic(d, this.out))
      : lost ? unreadableDiagnostics(lost, folder.settings.severity, this.out) : [];
    const json = JSON.stringify(diagnostics);
    const before = this.sent.get(key);
    if (!force && (before === json || (before === undefined && diagnostics.length === 0))) return;
    this.sent.set(key, json);
    // The version is that of the text the diagnostics were made from.
    this.connection.sendDiagnostics({ uri: this.out(key), version: doc?.version, diagnostics });
  }

  /**
   * The names list's problems, on the names file when it lies in the study (an editor shows nothing on
   * a file outside its folders); cleared when it has none. Messages never quote the list.
   */
  publishNames(folder: StudyFolder): void {
    if (this.stopped) return;
    const key = this.workspace.namesFileKey(folder);
    if (!key) return;
    const severity = effectiveSeverity('invalid-names-list', folder.settings.severity);
    const problems = severity === 'off' || !folder.names.source || !('inStudy' in folder.names.source) || !folder.names.source.inStudy ? [] : folder.names.problems;
    const diagnostics = problems.map((p) => toLspDiagnostic({ code: 'invalid-names-list', severity: severity as Severity, range: p.range, message: p.message }, this.out));
    const json = JSON.stringify(diagnostics);
    const before = this.sent.get(key);
    if (before === json || (before === undefined && diagnostics.length === 0)) return;
    this.sent.set(key, json);
    this.connection.sendDiagnostics({ uri: this.out(key), diagnostics });
  }

  /** Clears a document's diagnostics in the client (if it was shown any). */
  clear(key: string): void {
    const before = this.sent.get(key);
    this.sent.delete(key);
    if (before !== undefined && before !== '[]' && !this.stopped) this.connection.sendDiagnostics({ uri: this.out(key), diagnostics: [] });
  }

  /** After a (re)scan: clears the documents of `folder` that are no longer in its study (nor among its unreadable files). */
  clearGone(folder: StudyFolder): void {
    for (const key of [...this.sent.keys()]) {
      if (this.workspace.ownerOf(key) === folder && !folder.study.get(key) && !folder.unreadable.has(key) && key !== this.workspace.namesFileKey(folder)) this.clear(key);
    }
  }

  /** After a folder was removed: clears its documents, unless another study (nested in it, or holding it) took them. */
  clearRemoved(folder: StudyFolder): void {
    for (const key of [...this.sent.keys()]) {
      if (key.startsWith(`${folder.key}/`) && !this.workspace.ownerOf(key)) this.clear(key);
    }
  }

  /** A whole-study re-check, one step per document, open documents first (the scheduler slices it). */
  *recheck(folder: StudyFolder, forceOpen: boolean): Generator<void> {
    const keys = [...folder.study.documents().map((d) => d.uri), ...[...folder.unreadable.keys()].filter((k) => !folder.study.get(k))];
    const open = keys.filter((k) => this.workspace.isOpen(k));
    const rest = keys.filter((k) => !this.workspace.isOpen(k));
    for (const [i, key] of [...open, ...rest].entries()) {
      try {
        this.publish(folder, key, forceOpen && i < open.length);
      } catch (err) {
        this.connection.console.error(`Checking ${key} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
      yield;
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

/**
 * The problem of a study file that cannot be read, at its start (the editor has no text of it to
 * point into), with the severity the settings give it: none when they turn it off.
 */
function unreadableDiagnostics(file: UnreadableFile, overrides: SeverityOverrides, out: OutUri): LspDiagnostic[] {
  const severity = effectiveSeverity('unreadable-file', overrides);
  if (severity === 'off') return [];
  const at = { line: 0, character: 0 };
  return [toLspDiagnostic({
    code: 'unreadable-file', severity, range: { start: at, end: at },
    message: `This file cannot be read: ${file.reason}. It is left out of the study (its checks, codes, coverage and exports) until it can be read.`,
  }, out)];
}
