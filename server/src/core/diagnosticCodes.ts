/**
 * The diagnostics table: every code the product reports, its default severity
 * and what it is about. Messages are built where the problem is found; this
 * table is what settings, documentation and the LSP conversion rely on.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export const DIAGNOSTIC_CODES = {
  'unknown-question': { severity: 'error', about: 'A question marker or `skipped` entry names no question of the transcript\'s guide.' },
  'section-marker': { severity: 'error', about: 'A question marker names a section of the guide, not one of its questions.' },
  'unasked-question': { severity: 'warning', about: 'An expected question has no marker and is not listed in `skipped`.' },
  'missing-section': { severity: 'warning', about: 'No question of a section that applies to this participant was asked.' },
  'duplicate-question': { severity: 'information', about: 'The same question is marked more than once.' },
  'role-mismatch': { severity: 'information', about: 'The question is meant for other roles than the participant\'s.' },
  'skipped-but-asked': { severity: 'information', about: 'A question listed in `skipped` was asked all the same.' },
  'unknown-code': { severity: 'warning', about: 'The code is not in any codebook.' },
  'deprecated-code': { severity: 'warning', about: 'The code is marked deprecated in the codebook.' },
  'case-mismatch': { severity: 'warning', about: 'A code or question is known only in other upper/lower case.' },
  'unclosed-span': { severity: 'error', about: 'A `{` has no matching `}`.' },
  'unmatched-brace': { severity: 'error', about: 'A `}` has no matching `{`.' },
  'span-without-code': { severity: 'warning', about: 'A span is closed without a code right after its `}`.' },
  'empty-span': { severity: 'warning', about: 'A span holds no text.' },
  'span-crosses-question': { severity: 'warning', about: 'A span opens in the answer to one question and closes in the answer to another (usually a forgotten `}`).' },
  'unclosed-memo': { severity: 'error', about: 'A memo `%%` has no closing `%%`.' },
  'missing-guide': { severity: 'error', about: 'The transcript names no guide and the study does not hold exactly one.' },
  'unknown-guide': { severity: 'error', about: 'No guide has the ID named in `guide:`.' },
  'unknown-role': { severity: 'error', about: 'The role is not one of the guide\'s roles, or is missing.' },
  'invalid-front-matter': { severity: 'error', about: 'The front matter is not valid YAML or not a mapping.' },
  'yaml-syntax': { severity: 'error', about: 'A guide or codebook is not valid YAML.' },
  'schema': { severity: 'error', about: 'A field of a guide or codebook is missing, of the wrong type or format, or not allowed.' },
  'duplicate-id': { severity: 'error', about: 'A guide, section, question or code ID is defined twice.' },
  'invalid-id': { severity: 'error', about: 'An ID does not match its pattern.' },
  'unknown-question-ref': { severity: 'warning', about: 'A codebook `questions` entry names no question of any guide.' },
  'unknown-replacement': { severity: 'error', about: 'A codebook `replacedBy` names no code.' },
  'duplicate-participant': { severity: 'warning', about: 'Another transcript of the same guide names the same participant (often a second coder\'s copy of the interview).' },
  'identifying-name': { severity: 'warning', about: 'A name from the names list stands in a transcript.' },
  'identifying-detail': { severity: 'warning', about: 'An e-mail address, telephone number or UK postcode stands in a transcript.' },
  'invalid-names-list': { severity: 'error', about: 'The names list cannot be read or has an entry that is not a name (or a name and its pseudonym).' },
  'unreadable-file': { severity: 'error', about: 'A study file cannot be read (no permission, not UTF-8 text, a link to nothing), so it is left out of the study.' },
} as const satisfies Record<string, { severity: Severity; about: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export const ALL_DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

/**
 * Codes about a file on disk rather than its text: no text produces them (the core never reports
 * them), so only the language server, which reads the disk, shows them. The command-line tool reports
 * the same files as errors of its own.
 */
export const FILE_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['unreadable-file', 'invalid-names-list']);

export function isDiagnosticCode(s: string): s is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, s);
}

/** Per-code severity overrides, as in the setting `transcriptCoder.diagnostics.severity`. */
export type SeverityOverrides = Partial<Record<string, SeveritySetting>>;

/** Every value the severity setting takes, in order of weight. */
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The severity a code is reported with, or 'off'. Unknown setting values fall back to the default. */
export function effectiveSeverity(code: DiagnosticCode, overrides: SeverityOverrides | undefined): SeveritySetting {
  const o = overrides?.[code];
  if (typeof o === 'string' && SEVERITY_SETTINGS.includes(o)) return o;
  return DIAGNOSTIC_CODES[code].severity;
}
