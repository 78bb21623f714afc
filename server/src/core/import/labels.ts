/**
 * Speaker labels on their way into a transcript (SPEC §4.2, §12): renamed as the researcher asks
 * (`--speaker "Interviewer 1=I"`), made valid for the format (1–32 letters, digits, spaces, `.`, `_`,
 * `-`), and compared, so that spellings of one label that differ in case, spacing or a number can be
 * reported for the researcher to map.
 */

/** The longest label the transcript format reads as a speaker turn (code points). */
export const MAX_LABEL = 32;

const LABEL = /^(?=[\p{L}\p{N}._-])[\p{L}\p{N} ._-]{1,32}$/u;

/** Whether `label` starts a speaker turn as it is (SPEC §4.2), with no space at either end. */
export function isValidLabel(label: string): boolean {
  return LABEL.test(label) && label.trimEnd() === label;
}

/**
 * `label` as a valid label: composed accents (so `é` counts as one letter), each run of other
 * characters as one space (`O'Brien` → `O Brien`), a remark in brackets left out (`Jane (she/her)` → `Jane`), cut to 32 characters; `fallback` when
 * nothing is left.
 */
export function validLabel(label: string, fallback: string): string {
  // A remark in brackets after a name (Zoom's pronouns, `Jane (she/her)`) is no part of the label.
  const bare = label.replace(/\s*[([][^()[\]]*[)\]]\s*/gu, ' ').trim();
  let s = (bare === '' ? label : bare).normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, ' ').trim();
  const chars = Array.from(s);
  if (chars.length > MAX_LABEL) s = chars.slice(0, MAX_LABEL).join('').trimEnd();
  return s === '' ? fallback : s;
}

/** The default interviewer labels of SPEC §12: `I`, `Interviewer`, and labels starting with `Interviewer`. */
export const DEFAULT_INTERVIEWER_LABELS: readonly string[] = ['I', 'Interviewer'];

/**
 * Whether a turn with `label` is the interviewer's: one of `interviewerLabels` when any are given
 * (`--interviewer`), else `I`, `Interviewer` or a label starting with `Interviewer` (in any case, as
 * Word transcripts often write `INTERVIEWER`).
 */
export function isInterviewerLabel(label: string, interviewerLabels: readonly string[] = []): boolean {
  const l = label.trim();
  if (interviewerLabels.length > 0) return interviewerLabels.some((i) => i.trim() === l);
  return l === 'I' || l.toLowerCase().startsWith('interviewer');
}

/** A label's spelling with case, spacing, punctuation and a trailing number taken away: what its variants share. */
function variantKey(label: string): string {
  return label.toLowerCase().replace(/[\s._-]+/gu, '').replace(/\p{N}+$/u, '');
}

/**
 * Groups of labels that look like spellings of one label (`Interviewer1`, `interviewer`, `Interviewer 2`),
 * in order of first use. Labels that differ only in their number and are otherwise written alike
 * (`Speaker 1`, `Speaker 2`) are different people, as transcription services number them, and are no group.
 */
export function labelVariants(labels: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const l of labels) {
    const key = variantKey(l);
    if (key === '') continue;
    const g = groups.get(key) ?? [];
    if (!g.includes(l)) g.push(l);
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => {
    if (g.length < 2) return false;
    const stems = new Set(g.map((l) => l.replace(/\p{N}+$/u, '')));
    return !(stems.size === 1 && g.every((l) => /\p{N}$/u.test(l)));
  });
}

/** A `--speaker LABEL=NEW` argument read, or the reason it cannot be. */
export function parseRename(arg: string): { from: string; to: string } | { error: string } {
  const eq = arg.lastIndexOf('=');
  if (eq <= 0) return { error: `--speaker needs the label as the file writes it and the new label, as in --speaker "Interviewer 1=I"; got '${arg}'` };
  const from = arg.slice(0, eq).trim();
  const to = arg.slice(eq + 1).trim();
  if (!isValidLabel(to)) {
    return { error: `the new label '${to}' in --speaker "${arg}" cannot start a speaker turn: a label holds 1 to ${MAX_LABEL} letters, digits, spaces, '.', '_' or '-'` };
  }
  return { from, to };
}
