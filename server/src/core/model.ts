/**
 * The document models: what each parser makes of a file. Offsets are UTF-16
 * offsets into the file's text; each model carries its own `LineIndex` so it
 * can be turned into positions after the text itself is gone.
 */
import type { LineIndex } from './text';
import type { DiagnosticCode } from './diagnosticCodes';

/** A problem found while reading one file, before the study is consulted. */
export interface Problem {
  code: DiagnosticCode;
  start: number;
  end: number;
  message: string;
  /** What a quick fix needs: the replacement for the offending text (a pseudonym). */
  data?: { replacement?: string };
}

/** A scalar value with the offsets of its source text. */
export interface Located<T = string> {
  value: T;
  start: number;
  end: number;
  /** Set when the text at the offsets is not the value itself (see `Written`). */
  written?: Written;
}

/**
 * How a YAML value is written when the characters of its source are not the value itself: as a block
 * scalar (after `|` or `>`, with its indentation and any comment on that line), or with escape sequences
 * (`"bene\x66it"`, `'it''s'`) or line breaks folded into the value. An edit of those characters would change
 * more than the value, so renames refuse such values. Absent for plain and simply quoted values.
 */
export type Written = 'block' | 'escaped';

// ---------------------------------------------------------------- guide

export interface RoleDef {
  id: string;
  label: string;
  start: number;
  end: number;
}

export interface QuestionDef {
  id: string;
  /** The question as the interviewer reads it ('' when missing). */
  text: string;
  prompts: string[];
  /** Resolved: the file's value, or false for questions and true for follow-ups. */
  optional: boolean;
  /** When to ask it ("only if yes to Q3"): shown to the interviewer and in reports; it stays expected. */
  condition?: string;
  /** Dropped (after a pilot): never expected, still a valid marker, shown apart in reports. */
  retired: boolean;
  /** The question's own `roles`, when set. */
  ownRoles?: string[];
  /** Effective roles: its own, else its section's, else none (expected of everyone). */
  roles: string[];
  /** Index into `GuideModel.sections`. */
  sectionIndex: number;
  /** The ID of the question this one follows up, if it is a follow-up. */
  parentId?: string;
  followups: QuestionDef[];
  /** Offsets of the `id` value. */
  idStart: number;
  idEnd: number;
  /** How the `id` is written, when not plainly. */
  idWritten?: Written;
  /** Offsets of the whole question mapping. */
  start: number;
  end: number;
}

export interface SectionDef {
  id: string;
  title: string;
  note?: string;
  roles?: string[];
  /** Top-level questions of the section, in order (follow-ups hang below them). */
  questions: QuestionDef[];
  idStart: number;
  idEnd: number;
  /** How the `id` is written, when not plainly. */
  idWritten?: Written;
  start: number;
  end: number;
}

export interface GuideModel {
  kind: 'guide';
  lines: LineIndex;
  id?: Located;
  title?: Located;
  /** Guidance for the whole interview, shown with every question. */
  note?: string;
  roles: RoleDef[];
  sections: SectionDef[];
  /** Every question and follow-up in guide order (a follow-up right after its parent). */
  questions: QuestionDef[];
  problems: Problem[];
}

// ---------------------------------------------------------------- codebook

export interface CodeDef {
  /** Full path: `benefit/family`. */
  path: string;
  /** Own ID: the last segment. */
  id: string;
  parent: string | null;
  label?: string;
  description?: string;
  whenToUse?: string;
  whenNotToUse?: string;
  example?: string;
  /** Own linked guide question IDs (see `linkedQuestions` in the study for inheritance). */
  questions: Located[];
  color?: string;
  deprecated: boolean;
  replacedBy?: Located;
  /** Offsets of the `id` value. */
  idStart: number;
  idEnd: number;
  /** How the `id` is written, when not plainly. */
  idWritten?: Written;
  /** Offsets of the whole code mapping. */
  start: number;
  end: number;
}

export interface CodebookModel {
  kind: 'codebook';
  lines: LineIndex;
  /** Every code, depth first, parents before children. */
  codes: CodeDef[];
  problems: Problem[];
}

// ---------------------------------------------------------------- transcript

export interface SkipEntry {
  id: string;
  reason?: string;
  /** Offsets of the question ID as written in `skipped`. */
  start: number;
  end: number;
  /** How the ID is written, when not plainly. */
  written?: Written;
}

/**
 * A case attribute's value with its YAML type (SPEC §10): a decimal number, a boolean, text, or a list of those.
 * Anything else (a mapping, hexadecimal, `.inf`, a date) is text as written.
 */
export type AttributeScalar = string | number | boolean;
export type AttributeValue = AttributeScalar | AttributeScalar[];

export interface Attribute {
  key: string;
  /** The value as text: as written for a scalar, the source of a list or mapping. */
  value: string;
  typed: AttributeValue;
  start: number;
  end: number;
}

export interface FrontMatter {
  /** Offsets of the opening `---` and of the end of the closing `---` line. */
  start: number;
  end: number;
  /** The YAML between the two `---` lines. */
  yamlStart: number;
  yamlEnd: number;
  guide?: Located;
  /** Offsets of the whole `guide: …` line, where diagnostics about the guide's questions go. */
  guideLine?: { start: number; end: number };
  role?: Located;
  participant?: Located;
  /** How `skipped` is written: a list of IDs, a map ID → reason, or absent. */
  skippedForm: 'list' | 'map' | 'none';
  /** Offsets of the `skipped` key, when present. */
  skippedKey?: { start: number; end: number };
  skipped: SkipEntry[];
  speakers?: string[];
  /** Every other key: case attributes, with their text and their typed value. */
  attributes: Attribute[];
}

export interface Marker {
  /** The question ID, without `@`. */
  id: string;
  /** Offsets of the token, `@` included. */
  start: number;
  end: number;
}

export interface CodeUse {
  /** The code path as written, without `#`. */
  path: string;
  /** Offsets of the token, `#` included. */
  start: number;
  end: number;
  /** What it codes: the span it follows, or the paragraph it stands in. */
  target: 'span' | 'paragraph';
  /** The coded segment: a span's inner text or the paragraph. */
  segStart: number;
  segEnd: number;
}

export interface SpanDef {
  /** Offset of `{`. */
  open: number;
  /** Offset of the matching `}`, or -1 when the span is unclosed. */
  close: number;
  /** Indices into `TranscriptModel.codes` of the span's code run. */
  codes: number[];
}

export interface MemoDef {
  /** Offsets of the memo, both `%%` included (to the end of its paragraph when unclosed). */
  start: number;
  end: number;
  closed: boolean;
  /** Index into `TranscriptModel.paragraphs` of the paragraph it is attached to. */
  paragraph: number;
}

export interface Turn {
  label: string;
  /** Offsets of the label, colon excluded. */
  start: number;
  end: number;
}

export interface TranscriptModel {
  kind: 'transcript';
  lines: LineIndex;
  frontMatter?: FrontMatter;
  /** Offset where the interview text starts (after the front matter). */
  bodyStart: number;
  markers: Marker[];
  codes: CodeUse[];
  spans: SpanDef[];
  memos: MemoDef[];
  /** First to last non-blank character of each paragraph. */
  paragraphs: { start: number; end: number }[];
  turns: Turn[];
  /** Offsets of the backslashes of escapes (`\{`, `\#` …). */
  escapes: number[];
  problems: Problem[];
}

export type DocumentModel = GuideModel | CodebookModel | TranscriptModel;
