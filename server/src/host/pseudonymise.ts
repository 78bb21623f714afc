/**
 * The study-wide replacement of listed names by their pseudonyms (SPEC §13), planned once for the
 * CLI's `pseudonymise` (which writes the files) and the server's `transcriptCoder.pseudonymise`
 * (which sends one workspace edit): both replace exactly what `identifying-name` flags.
 */
import { applyReplacements, pseudonymEdits, type TextReplacement } from '../core/privacy/pseudonymise';
import { fileKind } from '../core/ids';
import { parseTranscript } from '../core/transcript';
import type { UnreadableFile } from './loadStudy';
import type { StudyNames } from './names';
import type { StudyHost } from './studyHost';

export interface PseudonymisedFile {
  path: string;
  /** The text read, and the text after the replacements. */
  text: string;
  after: string;
  edits: TextReplacement[];
  /** Listed names left because the list gives no pseudonym for them (or several). */
  left: number;
}

export interface PseudonymPlan {
  /** Transcripts with a listed name in them, in path order. */
  files: PseudonymisedFile[];
  replaced: number;
  left: number;
  /** How many transcripts were read. */
  transcripts: number;
  unreadable: UnreadableFile[];
}

/** Every replacement the names list asks for in the study's transcripts, none applied. */
export function planPseudonyms(host: StudyHost, names: StudyNames): PseudonymPlan {
  const plan: PseudonymPlan = { files: [], replaced: 0, left: 0, transcripts: 0, unreadable: [] };
  for (const rel of host.listFiles()) {
    if (fileKind(rel) !== 'transcript') continue;
    const r = host.readText(rel);
    if ('error' in r) {
      plan.unreadable.push({ path: rel, reason: r.error });
      continue;
    }
    plan.transcripts++;
    const { edits, left } = pseudonymEdits(r.text, parseTranscript(r.text), names.rules);
    if (edits.length === 0 && left === 0) continue;
    plan.files.push({ path: rel, text: r.text, after: applyReplacements(r.text, edits), edits, left });
    plan.replaced += edits.length;
    plan.left += left;
  }
  return plan;
}
