/**
 * Redaction (SPEC §13): a transcript's text with every listed name replaced by its pseudonym (or
 * `[name]`) and every identifying detail by `[email]`, `[phone]` or `[postcode]`. Only words are
 * replaced — never a code, a marker, a brace or a memo's `%%` — so the redacted text parses to the
 * same questions, spans, codes and memos, and every export made from it (REFI-QDA selections
 * included, whose positions are counted on the redacted plain text) covers the same words.
 */
import type { TranscriptModel } from '../model';
import { detailPlaceholder } from './details';
import { privacyFindings, type PrivacyFinding, type PrivacyRules } from './scan';

/** What a name is replaced by when the list gives it no (unambiguous) pseudonym. */
export const NAME_PLACEHOLDER = '[name]';

/** A replacement written into the interview text, with what would read as markup escaped. */
export function asTranscriptText(s: string): string {
  return s.replace(/[{}#@%]/g, (c) => `\\${c}`);
}

function replacementOf(f: PrivacyFinding): string {
  if (f.kind !== 'name') return detailPlaceholder(f.kind);
  return f.target.pseudonym !== undefined && !f.target.ambiguous ? f.target.pseudonym : NAME_PLACEHOLDER;
}

/** `text` (a transcript parsed as `model`) redacted; the same string when there is nothing to redact. */
export function redactTranscript(text: string, model: TranscriptModel, rules: PrivacyRules): { text: string; replaced: number } {
  const found = privacyFindings(text, model, rules);
  if (found.length === 0) return { text, replaced: 0 };
  const fmEnd = model.frontMatter ? model.frontMatter.yamlEnd : -1;
  let out = '';
  let at = 0;
  /** Front-matter lines whose value now starts with a placeholder's `[`, to be quoted. */
  const quote = new Set<number>();
  for (const f of found) {
    const by = replacementOf(f);
    const inFrontMatter = f.start < fmEnd;
    out += text.slice(at, f.start);
    if (inFrontMatter && /^[[{*&!|>'"%@`]/.test(by) && /(?:^|:|-)[ \t]*$/.test(lineBefore(text, f.start))) quote.add(out.length);
    out += inFrontMatter ? by : asTranscriptText(by);
    at = f.end;
  }
  out += text.slice(at);
  return { text: quote.size ? quoteValues(out, quote) : out, replaced: found.length };
}

function lineBefore(text: string, i: number): string {
  const start = Math.max(text.lastIndexOf('\n', i - 1) + 1, 0);
  return text.slice(start, i);
}

/**
 * A front-matter value that now starts with `[` (or another character YAML reads as syntax) would be read
 * as a list: the rest of its line becomes one single-quoted scalar, so the attribute stays the text shown.
 */
function quoteValues(text: string, starts: Set<number>): string {
  let out = '';
  let at = 0;
  for (const s of [...starts].sort((a, b) => a - b)) {
    if (s < at) continue;
    let end = text.indexOf('\n', s);
    if (end < 0) end = text.length;
    if (text[end - 1] === '\r') end--;
    let value = text.slice(s, end);
    const comment = value.search(/\s#/);
    const rest = comment >= 0 ? value.slice(comment) : '';
    if (comment >= 0) value = value.slice(0, comment);
    out += text.slice(at, s) + `'${value.trimEnd().replace(/'/g, "''")}'${rest}`;
    at = end;
  }
  return out + text.slice(at);
}
