/**
 * Replacing listed names by their pseudonyms in a transcript (SPEC §13): the same findings as the
 * `identifying-name` warnings, so the command replaces exactly what is flagged. Only words of text are
 * edited (never a code, marker, brace or memo delimiter), so every segment stays on the same words.
 */
import type { TranscriptModel } from '../model';
import { asTranscriptText } from './redact';
import { privacyFindings, type PrivacyRules } from './scan';

export interface TextReplacement {
  start: number;
  end: number;
  newText: string;
}

export interface PseudonymEdits {
  edits: TextReplacement[];
  /** Listed names found that the list gives no (unambiguous) pseudonym for: left as they are. */
  left: number;
}

/** The replacements that pseudonymise one transcript's text. */
export function pseudonymEdits(text: string, model: TranscriptModel, rules: PrivacyRules): PseudonymEdits {
  const edits: TextReplacement[] = [];
  let left = 0;
  if (!rules.names) return { edits, left };
  for (const f of privacyFindings(text, model, rules)) {
    if (f.kind !== 'name') continue;
    if (f.target.pseudonym === undefined || f.target.ambiguous) left++;
    else {
      const inFrontMatter = model.frontMatter !== undefined && f.start < model.frontMatter.yamlEnd;
      edits.push({ start: f.start, end: f.end, newText: inFrontMatter ? f.target.pseudonym : asTranscriptText(f.target.pseudonym) });
    }
  }
  return { edits, left };
}

/** `text` with `edits` (in order, not overlapping) applied. */
export function applyReplacements(text: string, edits: readonly TextReplacement[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}
