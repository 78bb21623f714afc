/**
 * The wire protocol of the Transcript Coder language server (SPEC §6): every custom request,
 * notification and server command, with its own parameter and result types. The VS Code client
 * imports this module and nothing else of the server; any other LSP client can follow the README's
 * "Custom requests" section, which documents the same names.
 *
 * The types here are the wire format, declared apart from the core's models on purpose: the CLI's
 * JSON and these results are built from core values in one place (`wire.ts`), so renaming a core
 * field cannot silently change what a script or an editor receives. This module imports no core
 * module and no Node API: it is types and names only.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

// ---------------------------------------------------------------- shared shapes

/** An LSP position: 0-based line, UTF-16 character. */
export interface WirePosition {
  line: number;
  character: number;
}

/** An LSP range. */
export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

/** A place in a document, as in LSP. */
export interface WireLocation {
  uri: string;
  range: WireRange;
}

/** Which study a request is about: that of `uri`, else the workspace folder `folder`, else the first. */
export interface StudyTarget {
  /** A document of the study; for per-document requests, that document alone. */
  uri?: string;
  /** A workspace folder's URI (or a lone document's URI, as in `indexChanged`). */
  folder?: string;
}

// ---------------------------------------------------------------- code counts

/** One row of `codes --format json`: one per codebook code (zero when unused), then one per unknown code in use. */
export interface CodeCountRow {
  code: string;
  label: string;
  known: boolean;
  /** The parent code's path, or null for a top-level or unknown code. */
  parent: string | null;
  deprecated: boolean;
  /** The code's own colour as the codebook writes it, or null. */
  color: string | null;
  /** Segments coded with exactly this code, and the transcripts they are in. */
  segments: number;
  transcripts: number;
  /** The same with every known descendant included (transcripts counted once). */
  totalSegments: number;
  totalTranscripts: number;
}

/** `transcriptCoder/codeCounts`: code counts for a study, or for one transcript (`uri`). */
export type CodeCountsParams = StudyTarget;
export type CodeCountsResult = CodeCountRow[];
export const CodeCountsRequest = new RequestType<CodeCountsParams, CodeCountsResult, void>('transcriptCoder/codeCounts');

/** A front-matter value: text, a decimal number, a boolean, or a list of those (SPEC §10). */
export type AttributeValue = string | number | boolean | (string | number | boolean)[];

// ---------------------------------------------------------------- analysis

/** One cell of an analysis table: coded segments counted there and the distinct transcripts they come from. */
export interface MatrixCell {
  segments: number;
  transcripts: number;
}

export interface MatrixColumn {
  /** `GUIDE:QUESTION`, a file, a code path, or a front-matter value (`(none)` for transcripts without it). */
  key: string;
  label: string;
  /** With `by` a front-matter key: how many transcripts are in the group. */
  size?: number;
}

export interface MatrixRow {
  code: string;
  label: string;
  known: boolean;
  depth: number;
  /** Every column's key, zeros included. */
  cells: Record<string, MatrixCell>;
}

/** `transcript-coder matrix --format json` (SPEC §10). */
export interface MatrixResult {
  by: string;
  exact: boolean;
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** `transcriptCoder/matrix`: `by` is `question`, `transcript`, `code` or a front-matter key. */
export interface MatrixParams extends StudyTarget {
  by: string;
  /** Keep the rows of these codes and their descendants. */
  codes?: string[];
  /** Front-matter key → accepted values, as `--where`. */
  where?: Record<string, string[]>;
  exact?: boolean;
}
export const MatrixRequest = new RequestType<MatrixParams, MatrixResult, void>('transcriptCoder/matrix');

/** A `(none)` column: the transcripts without the table's key. */
export const NO_VALUE = '(none)';

/**
 * The `transcriptCoder/segments` parameters that list the passages behind one cell of a table: the row's
 * code (with descendants unless `exact`) in the column's question, transcript or group, under the same
 * `where`; for a co-occurrence cell off the diagonal, the row code's passages that overlap one of the
 * column code's. Every editor that shows a table can ask for a cell's passages with the same words.
 * A table by a key that `where` also filters on is listed by the column's value alone.
 */
export function cellSegmentsParams(table: MatrixTable & StudyTarget, code: string, column: string): SegmentsParams {
  const params: SegmentsParams = { codes: [code], exact: table.exact === true };
  if (table.folder !== undefined) params.folder = table.folder;
  if (table.uri !== undefined) params.uri = table.uri;
  const where: Record<string, string[]> = { ...(table.where ?? {}) };
  const by = table.by.trim();
  if (by === 'question') params.questions = [column];
  else if (by === 'transcript') params.files = [column];
  else if (by === 'code') { if (column !== code) params.overlapping = [column]; }
  else if (column === NO_VALUE) params.missing = [by];
  else where[by] = [column];
  if (Object.keys(where).length) params.where = where;
  return params;
}

// ---------------------------------------------------------------- segments

/** One coded segment: a row of `codes --segments --format json`, plus the document's URI. */
export interface SegmentRow {
  code: string;
  /** Path relative to the study folder, `/`-separated. */
  file: string;
  /** The document's URI (left out of the CLI's JSON, where `file` names it). */
  uri: string;
  participant: string;
  role: string | null;
  /** Case attributes with their YAML types: lists stay lists, numbers and booleans keep their type. */
  attributes: Record<string, AttributeValue>;
  /** The questions whose answer region holds the segment's start, in marker order: several where markers share a paragraph, none before the first marker. */
  questions: string[];
  /** The first of `questions`, or null. */
  question: string | null;
  range: WireRange;
  excerpt: string;
  /** With `context`: the excerpts of the paragraphs before and after the segment, in text order. */
  before?: string[];
  after?: string[];
}

/**
 * `transcriptCoder/segments`: coded segments in file then document order, for a study or one
 * transcript (`uri`), as `segments --format json`. `code` keeps one code exactly as written; `codes`
 * keeps those codes with their known descendants (alone with `exact`); `questions` keeps segments
 * answering one of them (`q1` or `GUIDE:q1`); `where` filters transcripts as `--where`; `context` adds
 * `before`/`after`. Every filter given narrows; with none, every segment.
 */
export interface SegmentsParams extends StudyTarget {
  code?: string;
  codes?: string[];
  questions?: string[];
  /** Front-matter key → accepted values, as `--where`. */
  where?: Record<string, string[]>;
  exact?: boolean;
  context?: number;
  /** Only segments that share a character with another segment of these codes (with descendants unless `exact`): a co-occurrence cell's passages. */
  overlapping?: string[];
  /** Only transcripts whose front matter lacks these keys: a `(none)` column's passages. */
  missing?: string[];
  /** Only these transcripts, by path relative to the folder (`/`-separated): a column of the table by transcript. */
  files?: string[];
}
export type SegmentsResult = SegmentRow[];
export const SegmentsRequest = new RequestType<SegmentsParams, SegmentsResult, void>('transcriptCoder/segments');

// ---------------------------------------------------------------- memos

/** One memo: a row of `memos --format json`, plus the document's URI. */
export interface MemoRow {
  /** Path relative to the study folder, `/`-separated. */
  file: string;
  /** The document's URI (left out of the CLI's JSON, where `file` names it). */
  uri: string;
  participant: string;
  /** The memo, both `%%` included. */
  range: WireRange;
  /** The questions whose answer region holds the memo. */
  questions: string[];
  /** The codes of the memo's paragraph, in document order. */
  codes: string[];
  /** The text between the `%%`, each line trimmed. */
  text: string;
}

/** `transcriptCoder/memos`: every memo (of a study, or one transcript: `uri`), as `memos --format json`. */
export interface MemosParams extends StudyTarget {
  /** Only memos whose paragraph holds one of these codes or a descendant. */
  codes?: string[];
  /** Front-matter key → accepted values, as `--where`. */
  where?: Record<string, string[]>;
}
export type MemosResult = MemoRow[];
export const MemosRequest = new RequestType<MemosParams, MemosResult, void>('transcriptCoder/memos');

// ---------------------------------------------------------------- agreement between coders

/** Counts of units for one code (or all codes summed) and the statistics made from them; null where undefined. */
export interface AgreementFigures {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  percent: number | null;
  kappa: number | null;
  alpha: number | null;
}

export interface AgreementCodeRow extends AgreementFigures {
  code: string;
}

export interface AgreementTranscript {
  /** Path relative to the study, `/`-separated. */
  file: string;
  paired: boolean;
  /** For a transcript in one copy only: which. */
  onlyIn?: 'A' | 'B';
  alignedUnits?: number;
  /** Characters of either copy that could not be aligned with the other, left out. */
  unalignedCharacters?: number;
}

export interface AgreementDisagreement {
  file: string;
  code: string;
  /** The coder who applied the code. */
  coder: 'A' | 'B';
  rangeA: WireRange;
  rangeB: WireRange;
  excerpt: string;
}

/** `agree --format json` (SPEC §11). */
export interface AgreementReport {
  unit: 'character' | 'paragraph' | 'transcript';
  /** The two copies, as named on the command line. */
  a: string;
  b: string;
  transcripts: AgreementTranscript[];
  codes: AgreementCodeRow[];
  overall: AgreementFigures;
  disagreements: AgreementDisagreement[];
}

/**
 * `transcriptCoder/agreement`: two copies of a study, each a folder read from disk as `agree A B` reads it
 * (whether or not it is open in the editor), or that folder as a git revision has it (`revisionA`,
 * `revisionB`, as `agree --git` reads it). The answer is the JSON of `agree`, with `a` and `b` the URIs
 * given (`URI@revision` for a revision). A folder that is missing or not a folder, or a revision that does
 * not exist, is refused with a message for the researcher. The request can be cancelled.
 */
export interface AgreementParams {
  /** The first coder's copy: a folder's `file:` URI. */
  a: string;
  /** The second coder's copy: a folder's `file:` URI. */
  b: string;
  /** Read the first copy from this git revision (branch, tag or commit) of the repository holding `a`. */
  revisionA?: string;
  /** Read the second copy from this git revision of the repository holding `b`. */
  revisionB?: string;
  /** `character` (the default), `paragraph` or `transcript`. */
  unit?: 'character' | 'paragraph' | 'transcript';
  /** Keep the rows of these codes and their descendants, as `--code`. */
  codes?: string[];
}
export const AgreementRequest = new RequestType<AgreementParams, AgreementReport, void>('transcriptCoder/agreement');

/**
 * `transcriptCoder/gitRevisions`: the local branches of the git repository holding `folder` (a folder's
 * `file:` URI), for picking the other coder's copy. `repository` is false, with `reason`, when the folder
 * is in no repository (or git cannot be run); the server runs git itself, without a shell.
 */
export interface GitRevisionsParams {
  folder: string;
}
export interface GitRevisionsResult {
  repository: boolean;
  /** The branch checked out, or null (a detached HEAD, or no repository). */
  current: string | null;
  branches: string[];
  /** Why there is no repository to list, in words for the researcher. */
  reason?: string;
}
export const GitRevisionsRequest = new RequestType<GitRevisionsParams, GitRevisionsResult, void>('transcriptCoder/gitRevisions');

/**
 * `transcriptCoder/revisionText`: the text of study file `file` (relative to the study, `/`-separated) in
 * the folder `folder` (a `file:` URI) as git revision `revision` has it, or as it is on disk when `revision`
 * is omitted, decoded as the study's files are (UTF-8, byte-order mark removed): the other coder's copy of a
 * transcript, shown read-only beside the editor's. A file that is not a study file, or that cannot be read
 * there, is refused with a message for the researcher.
 */
export interface RevisionTextParams {
  folder: string;
  /** A git revision (branch, tag or commit) of the repository holding `folder`; omitted: the file on disk. */
  revision?: string;
  file: string;
}
export interface RevisionTextResult {
  text: string;
}
export const RevisionTextRequest = new RequestType<RevisionTextParams, RevisionTextResult, void>('transcriptCoder/revisionText');

// ---------------------------------------------------------------- coverage

export type CoverageCell = 'asked' | 'skipped' | 'not-asked' | 'not-expected';

export interface CoverageQuestion {
  id: string;
  text: string;
  /** The question this one follows up, or null. */
  parent: string | null;
  optional: boolean;
  /** When to ask it, as the guide says ("if yes to Q3"); absent when the guide says nothing. */
  condition?: string;
  /** True for a question dropped from the guide: never expected, drawn apart from its section. */
  retired?: boolean;
  roles: string[];
  /** How many of the report's transcripts asked it where it was expected, and of how many it was expected. */
  askedIn: number;
  expectedIn: number;
  /** How many asked it at all (optional questions and other roles' questions included). */
  askedAnyIn: number;
}

export interface CoverageSection {
  id: string;
  title: string;
  roles: string[];
  questions: CoverageQuestion[];
  asked: number;
  expected: number;
}

export interface CoverageTranscript {
  file: string;
  /** The document's URI (left out of the CLI's JSON). */
  uri: string;
  participant: string;
  role: string | null;
  /** Case attributes with their YAML types: lists stay lists, numbers and booleans keep their type. */
  attributes: Record<string, AttributeValue>;
  asked: number;
  expected: number;
  /** asked/expected as a percentage, or null when nothing is expected. */
  percent: number | null;
  cells: Record<string, CoverageCell>;
  /** Expected questions with no marker, in guide order. */
  missing: string[];
  /** Why each `skipped` cell was skipped, where the front matter gives a reason: question ID → reason. */
  skipReasons?: Record<string, string>;
}

export interface CoverageGuide {
  id: string;
  title: string;
  file: string;
  /** The guide's URI (left out of the CLI's JSON). */
  uri: string;
  roles: { id: string; label: string }[];
  sections: CoverageSection[];
  transcripts: CoverageTranscript[];
  asked: number;
  expected: number;
  percent: number | null;
}

/** A transcript whose guide was not found: counted in no guide's coverage, listed apart so that it is not lost. */
export interface CoverageUnresolvedTranscript {
  file: string;
  /** The document's URI (left out of the CLI's JSON). */
  uri: string;
  participant: string;
  role: string | null;
  attributes: Record<string, AttributeValue>;
  /** The guide ID its `guide:` names, which no guide of the study has; null when it names none (and the study has not exactly one guide). */
  guide: string | null;
}

/** The JSON of `report`. */
export interface CoverageReport {
  guides: CoverageGuide[];
  /** The `--where` filter the transcripts were chosen by, when there was one: key → accepted values. */
  filter?: Record<string, string[]>;
  /** The transcripts (chosen by the filter) whose guide was not found, in path order; absent when there are none. */
  unresolved?: CoverageUnresolvedTranscript[];
}

/**
 * `transcriptCoder/coverage`: the coverage report of a study; with `uri`, of that transcript alone
 * (its guide only, with this transcript as its one row and totals of its own; when its guide is not
 * found, no guides and the transcript in `unresolved`).
 */
export type CoverageParams = StudyTarget;
export type CoverageResult = CoverageReport;
export const CoverageRequest = new RequestType<CoverageParams, CoverageResult, void>('transcriptCoder/coverage');

/**
 * `transcriptCoder/coverageHtml`: the coverage report as the body of a standalone HTML page (the same
 * rendering as `report --format html`), for clients that show it in a web view. Every piece of study
 * text in it is escaped. `csp`, `nonce`, `toolbar` and `script` are placed in the page as given.
 */
export interface CoverageHtmlParams extends StudyTarget {
  title?: string;
  csp?: string;
  nonce?: string;
  /** HTML placed above the report (the client's own buttons). */
  toolbar?: string;
  /** A script placed at the end of the page under `nonce`. */
  script?: string;
}
export const CoverageHtmlRequest = new RequestType<CoverageHtmlParams, string, void>('transcriptCoder/coverageHtml');

// ---------------------------------------------------------------- codebook, guide positions, decorations

/** A code as its codebook defines it, with where (the first definition of its path). */
export interface CodeDefinition {
  code: string;
  label: string;
  description: string | null;
  whenToUse: string | null;
  whenNotToUse: string | null;
  example: string | null;
  deprecated: boolean;
  replacedBy: string | null;
  /** Its own colour, else its nearest coloured ancestor's (#RGB or #RRGGBB), or null. */
  color: string | null;
  /** The code's ID in its codebook. */
  location: WireLocation;
}

/** `transcriptCoder/codeDefinitions`: every code of the study's codebooks, in codebook order. */
export type CodeDefinitionsParams = StudyTarget;
export type CodeDefinitionsResult = CodeDefinition[];
export const CodeDefinitionsRequest = new RequestType<CodeDefinitionsParams, CodeDefinitionsResult, void>('transcriptCoder/codeDefinitions');

/** `transcriptCoder/questionLocation`: where a guide defines a question (its ID), or null. */
export interface QuestionLocationParams {
  /** The guide's URI. */
  guide: string;
  id: string;
}
export const QuestionLocationRequest = new RequestType<QuestionLocationParams, WireLocation | null, void>('transcriptCoder/questionLocation');

/** A coded span to tint in the editor: the span's inner text and the colour of its code. */
export interface CodeDecoration {
  range: WireRange;
  code: string;
  color: string;
}

/**
 * `transcriptCoder/decorations`: the coloured spans of a transcript (span codes whose code has a
 * colour, its own or an ancestor's), within `range` when given. `version` is the document version the
 * ranges belong to (null for a file that is not open), so a client can drop an answer that is stale.
 */
export interface DecorationsParams {
  uri: string;
  range?: WireRange;
}
export interface DecorationsResult {
  version: number | null;
  decorations: CodeDecoration[];
}
export const DecorationsRequest = new RequestType<DecorationsParams, DecorationsResult, void>('transcriptCoder/decorations');

// ---------------------------------------------------------------- notifications

/**
 * `transcriptCoder/indexChanged` (server → client): a study changed (indexing finished, a document
 * was edited, a file changed on disk, settings changed); views refresh. Sent at most once per
 * 300 ms of quiet (and at least every 2 s while changes go on).
 */
export interface IndexChangedParams {
  /** The URIs of the workspace folders whose study changed (a lone document's URI for its own study). */
  folders: string[];
}
export const IndexChangedNotification = new NotificationType<IndexChangedParams>('transcriptCoder/indexChanged');

// ---------------------------------------------------------------- server commands (workspace/executeCommand)

/**
 * `transcriptCoder.codeSelection`: without `code`, the candidate codes for the passage, ranked as
 * completion ranks them (codes linked to the answer region's question first, then by use; deprecated
 * codes left out); with `code`, wraps `range` in `{…}#code` through `workspace/applyEdit` (an empty
 * range codes its paragraph by adding ` #code` at the paragraph's end). `ranges` codes several
 * selections in one edit (a paragraph named twice is coded once). Refused, with or without `code`, by
 * a `COMMAND_REFUSED` error whose message says why, when a range would cross a span's brace or lies
 * outside the interview text; `{ applied: false, reason }` when the editor did not apply the edit.
 */
export interface CodeSelectionArgs {
  uri: string;
  range?: WireRange;
  ranges?: WireRange[];
  code?: string;
}
export interface CodeCandidate {
  code: string;
  label: string;
  /** The code's definition in one line (description, else when to use), when it has one. */
  detail?: string;
}
export interface CodeSelectionApplied {
  applied: boolean;
  /** Why nothing was applied, in words for the user. */
  reason?: string;
}
export type CodeSelectionResult = CodeCandidate[] | CodeSelectionApplied;
export const CodeSelectionCommand = 'transcriptCoder.codeSelection';

export type ExportKind = 'refi' | 'qdc' | 'coverage-csv' | 'coverage-md' | 'segments-csv' | 'matrix-csv' | 'matrix-md';

/** Which analysis table `matrix-csv`/`matrix-md` write: the options of `transcriptCoder/matrix`. */
export type MatrixTable = Omit<MatrixParams, keyof StudyTarget>;

/**
 * `transcriptCoder.export`: writes the same bytes as the CLI's corresponding export (`export refi`,
 * `export qdc`, `report --format csv --bom`, `report --format md`, `codes --segments --format csv --bom`,
 * `matrix --format csv --bom`, `matrix --format md` with the options of `table`) of the study in
 * `folder` (a file URI; default: the first workspace folder) to `target` (a file URI).
 * Refuses to replace an existing file unless `overwrite` is true.
 */
export interface ExportArgs {
  kind: ExportKind;
  target: string;
  folder?: string;
  overwrite?: boolean;
  /**
   * Listed names replaced by their pseudonyms (or `[name]`) and e-mail addresses, telephone numbers and
   * postcodes by `[email]`, `[phone]`, `[postcode]` in every text, excerpt and case attribute, as the
   * CLI's `--redact` does (SPEC §13).
   */
  redact?: boolean;
  /** For `matrix-csv` and `matrix-md` (required there): the table, as `matrix --by … --code … --where … --exact`. */
  table?: MatrixTable;
}
export interface ExportResult {
  written: string;
  /** What was written, in one sentence for the user. */
  summary: string;
  /** Things the user should know (the study has errors, a name lacks the usual extension). */
  notes: string[];
}
export const ExportCommand = 'transcriptCoder.export';

/**
 * `transcriptCoder.import`: reads a REFI-QDA codebook (`.qdc`, or the codebook of a `.qdpx`/`.qde`
 * project) from `source` and writes it as a codebook to `target` (file URIs), as `import qdc` does.
 * Refuses to replace an existing file unless `overwrite` is true.
 */
export interface ImportArgs {
  kind: 'qdc';
  source: string;
  target: string;
  overwrite?: boolean;
}
export type ImportResult = ExportResult;
export const ImportCommand = 'transcriptCoder.import';

/**
 * `transcriptCoder.importTranscripts`: interviews from Word (`.docx`), subtitle (`.vtt`, `.srt`) and text
 * (`.txt`) files written as `*.transcript`s, as `import transcript` does (SPEC §12). `files` and `folder`
 * are file URIs; the transcripts go into `folder`, else beside each file. `guide` and `role` are checked
 * against the study holding that folder (refused with `COMMAND_REFUSED` when it has no such guide or
 * role); `speakers` renames labels (`{ "Interviewer 1": "I" }`); `interviewers` names the interviewer's
 * labels. With `suggestMarkers`, question markers are placed where the guide's matcher is confident
 * (`--suggest-markers`; needs the guide named, or a study with one guide). An existing transcript is
 * replaced only when `force` is true; files left alone are in `skipped` with the reason, in words for the researcher.
 */
export interface ImportTranscriptsArgs {
  files: string[];
  folder?: string;
  guide?: string;
  role?: string;
  speakers?: Record<string, string>;
  interviewers?: string[];
  suggestMarkers?: boolean;
  force?: boolean;
}
export interface ImportedTranscript {
  /** The file read (a file URI, as given). */
  source: string;
  /** The transcript written (a file URI). */
  written: string;
  /** `Wrote SW07.transcript: 42 turns by I (21), R (21).` */
  summary: string;
  turns: number;
  speakers: { label: string; turns: number }[];
  /** What the researcher should know about this file (labels changed, spellings of one speaker …). */
  notes: string[];
}
export interface ImportTranscriptsResult {
  written: ImportedTranscript[];
  skipped: { source: string; reason: string }[];
  /** Notes about the whole import (the guide has roles and none was given …). */
  notes: string[];
}
export const ImportTranscriptsCommand = 'transcriptCoder.importTranscripts';

/**
 * `transcriptCoder.importGuide`: an interview guide written as a Word, Markdown or text document
 * (`source`, a file URI) written as a `*.guide.yaml` to `target` (default: beside it, same name), as
 * `import guide` does. Refuses to replace an existing file unless `overwrite` is true.
 */
export interface ImportGuideArgs {
  source: string;
  target?: string;
  overwrite?: boolean;
}
export type ImportGuideResult = ExportResult;
export const ImportGuideCommand = 'transcriptCoder.importGuide';

/**
 * `transcriptCoder.pseudonymise`: every name of the study's names list in its transcripts replaced by
 * its pseudonym, as `transcript-coder pseudonymise` does, through one `workspace/applyEdit` over the
 * study (open documents' texts included). With `dryRun`, nothing is changed and the counts say what
 * would be. The answer never holds a word of the names list.
 */
export interface PseudonymiseArgs {
  folder?: string;
  dryRun?: boolean;
}
export interface PseudonymiseResult {
  /** Whether the edit was applied (false for a dry run, when there was nothing to replace, or when the editor refused it). */
  applied: boolean;
  /** Replacements made (or, in a dry run, to be made). */
  replaced: number;
  /** Listed names left because the list gives no pseudonym for them. */
  left: number;
  /** Per transcript with a listed name: its path relative to the study, and the same two counts. */
  files: { file: string; replaced: number; left: number }[];
  /** What was done, in one sentence for the user. */
  summary: string;
}
export const PseudonymiseCommand = 'transcriptCoder.pseudonymise';

/** Every command the server runs, as listed in its `executeCommandProvider`. */
export const SERVER_COMMANDS = [CodeSelectionCommand, ExportCommand, ImportCommand, ImportTranscriptsCommand, ImportGuideCommand, PseudonymiseCommand] as const;

/** A command failure the user should read (a refusal, a file that cannot be written): the JSON-RPC error's message says it. */
export const COMMAND_REFUSED = -32803; // LSP's RequestFailed
