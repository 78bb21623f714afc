/**
 * A study read redacted (SPEC §13): the same study files and settings as `host`, but every
 * transcript's text with listed names replaced by their pseudonyms (or `[name]`) and identifying
 * details by placeholders. Every export and table made through it — REFI-QDA project, segments,
 * excerpts, case attributes — is then redacted alike, by the same code that makes the plain export.
 * It offers no names list of its own, so nothing read through it is checked against the list again.
 */
import { fileKind } from '../core/ids';
import { redactTranscript } from '../core/privacy/redact';
import { parseTranscript } from '../core/transcript';
import { studyNames, type StudyNames } from './names';
import type { NamesSource, ReadResult, StudyHost, StudySettings } from './studyHost';

/**
 * `host` read redacted, or why it cannot be: a names list with problems is refused, since a redaction
 * that silently skipped names the list could not give would pass for a safe one.
 */
export function redactingHost(host: StudyHost): RedactingHost | { refused: string } {
  const names = studyNames(host);
  const p = names.problems[0];
  if (p) return { refused: `the names list (${p.where}) has a problem, so nothing was redacted: ${p.message} (see transcript-coder check)` };
  return new RedactingHost(host, names);
}

export class RedactingHost implements StudyHost {
  constructor(private readonly inner: StudyHost, private readonly names: StudyNames) {}

  get name(): string {
    return this.inner.name;
  }

  settings(): StudySettings {
    return this.inner.settings();
  }

  listFiles(): string[] {
    return this.inner.listFiles();
  }

  readText(path: string): ReadResult {
    const r = this.inner.readText(path);
    if ('error' in r || fileKind(path) !== 'transcript') return r;
    return { text: redactTranscript(r.text, parseTranscript(r.text), this.names.rules).text };
  }

  namesSource(): NamesSource {
    return { kind: 'none' };
  }
}
