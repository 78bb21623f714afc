/**
 * The editor features of SPEC §6 over one `Study` snapshot: the one entry point
 * the language server calls. Every function is pure (study and arguments in,
 * plain data out). A bug is not hidden here: it reaches the server, which logs
 * it and answers that one request with an empty result. The functions read
 * the study's indexes rather than walking every document: hover and definition
 * look up one token; references, rename and usage figures visit only the
 * documents the study's usage index names.
 *
 * Positions are LSP positions (0-based line, UTF-16 character). `uri` is the
 * document's key in the study. Where `text` is given it is the document's
 * current text (the study holds models, not texts), and `version` the editor's
 * version of it: the study's model is reused only when its version is that one.
 */
import type { Diagnostic } from './diagnostics';
import type { Study } from './study';
import type { Position, Range } from './text';
import * as actions from './features/codeActions';
import * as selection from './features/codeSelection';
import * as completion from './features/completion';
import * as definitions from './features/definitions';
import * as hover from './features/hover';
import * as navigation from './features/navigation';
import * as renaming from './features/rename';
import * as symbols from './features/symbols';
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  PrepareRenameResult,
  RenameResult,
  WorkspaceSymbol,
} from './features/types';

export type * from './features/types';
export type { CodeCandidate, CodeSelectionEdit } from './features/codeSelection';
export type { CodeActionOptions } from './features/codeActions';
export type { CodeDecorationInfo, CodeDefinitionInfo } from './features/definitions';


/**
 * Completion items at `position`: code paths after `#`, question IDs after `@`,
 * `guide`/`role`/`skipped` values in front matter, question IDs and code paths
 * in a codebook's `questions` and `replacedBy`. Each item's `textEdit` replaces
 * the whole token under the cursor; `sortText` encodes the ranking.
 */
export function getCompletions(study: Study, uri: string, text: string, position: Position, version?: number): CompletionItem[] {
  return completion.getCompletions(study, uri, text, position, version);
}

/**
 * Markdown about the code, question, guide or role under the cursor: a code's
 * label, definition, linked questions and usage; a question's text, section,
 * prompts, follow-ups, roles and how often it was asked. Undefined when the
 * cursor is on nothing the study knows about.
 */
export function getHover(study: Study, uri: string, position: Position): Hover | undefined {
  return hover.getHover(study, uri, position);
}

/**
 * Where the item under the cursor is defined: a question in its guide, a code
 * (its first definition) in the codebook, a guide's `id`.
 */
export function getDefinition(study: Study, uri: string, position: Position): Location[] {
  return navigation.getDefinition(study, uri, position);
}

/**
 * Every use of the code or question under the cursor in the study, in file
 * path order, with its definition when `includeDeclaration`.
 */
export function getReferences(study: Study, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  return navigation.getReferences(study, uri, position, includeDeclaration);
}

/**
 * The range (the ID without sigil; one segment of a code path) and current
 * name of what a rename at `position` would change, `{ error }` when it cannot
 * be renamed, undefined when there is nothing there.
 */
export function prepareRename(study: Study, uri: string, position: Position): PrepareRenameResult {
  return renaming.prepareRename(study, uri, position);
}

/**
 * The workspace edit renaming the code segment or question ID under the cursor
 * to `newName` across the study, or `{ error }` with the reason it is refused
 * (invalid name, name taken, a move to another parent, an unknown item).
 */
export function rename(study: Study, uri: string, position: Position, newName: string): RenameResult {
  return renaming.rename(study, uri, position, newName);
}

/**
 * Quick fixes for the given diagnostics (the core's, with their `data`):
 * did-you-mean replacements, adding an unknown code to the codebook, marking
 * questions as skipped, replacing a deprecated code. `diagnostic` in each
 * action is the index of the diagnostic it fixes. On an interviewer turn
 * without a marker, "Mark as question …" with the matcher's three candidates.
 */
export function getCodeActions(study: Study, uri: string, text: string, range: Range, diagnostics: Diagnostic[], version?: number, options?: actions.CodeActionOptions): CodeAction[] {
  return actions.getCodeActions(study, uri, text, range, diagnostics, version, options);
}

/**
 * The outline: a transcript's markers grouped by guide section, a guide's
 * sections and questions, a codebook's code tree.
 */
export function getDocumentSymbols(study: Study, uri: string): DocumentSymbol[] {
  return symbols.getDocumentSymbols(study, uri);
}

/**
 * Folding ranges: front matter, answer regions, memos and multi-line spans in
 * transcripts; sections, questions and codes in guides and codebooks.
 */
export function getFoldingRanges(study: Study, uri: string): FoldingRange[] {
  return symbols.getFoldingRanges(study, uri);
}

/** Codes and questions of the study whose ID, label or text matches `query`. */
export function getWorkspaceSymbols(study: Study, query: string): WorkspaceSymbol[] {
  return symbols.getWorkspaceSymbols(study, query);
}

/**
 * The codes to offer for coding the passages `ranges` of transcript `uri` (current text `text`),
 * best first: codes linked to the question the first passage answers, then by use in the study;
 * deprecated codes left out. `{ error }` when those passages cannot be coded (SPEC §6, Code Selection).
 */
export function getCodeCandidates(study: Study, uri: string, text: string, ranges: readonly Range[]): selection.CodeCandidate[] | { error: string } {
  return selection.getCodeCandidates(study, uri, text, ranges);
}

/**
 * The insertions that code `ranges` of transcript `uri` with `code`: `{` and `}#code` around each
 * selection (trimmed), ` #code` at the end of the paragraph of an empty one; or `{ error }` with the
 * reason when a selection would cross a span's brace, lies in the front matter, or would change how
 * other markup reads.
 */
export function codeSelection(study: Study, uri: string, text: string, ranges: readonly Range[], code: string): selection.CodeSelectionEdit {
  return selection.codeSelectionEdit(study, uri, text, ranges, code);
}

/** Every code of the study's codebooks (first definitions) with its definition fields, resolved colour and where its ID stands. */
export function getCodeDefinitions(study: Study): definitions.CodeDefinitionInfo[] {
  return definitions.getCodeDefinitions(study);
}

/** Where guide `guideUri` defines question `id`, or undefined. */
export function getQuestionLocation(study: Study, guideUri: string, id: string): Location | undefined {
  return definitions.getQuestionLocation(study, guideUri, id);
}

/** The coloured spans of transcript `uri` (span codes whose code has a colour), within `range` when given. */
export function getDecorations(study: Study, uri: string, range?: Range): definitions.CodeDecorationInfo[] {
  return definitions.getDecorations(study, uri, range);
}
