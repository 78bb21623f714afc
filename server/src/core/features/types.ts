/**
 * Plain-data results of the editor features. They mirror the shapes LSP uses
 * (so the server's conversion is trivial) without importing LSP: the core
 * stays editor-agnostic.
 */
import type { Range } from '../text';

export interface Location {
  uri: string;
  range: Range;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Edits per document URI. */
export interface WorkspaceEdit {
  changes: Record<string, TextEdit[]>;
}

export type CompletionKind = 'code' | 'question' | 'guide' | 'role' | 'value';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label (a code's label, a question's text). */
  detail?: string;
  /** Markdown shown in the details pane. */
  documentation?: string;
  /** Replaces `range` (the whole token under the cursor). */
  textEdit: TextEdit;
  /** Order: ascending strings; the ranking rules of SPEC §6 are encoded here. */
  sortText: string;
  filterText?: string;
  /** A deprecated code: clients strike it through (LSP `CompletionItemTag.Deprecated`). */
  deprecated?: boolean;
}

export interface Hover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export type RenameResult = { edit: WorkspaceEdit } | { error: string };
export type PrepareRenameResult = { range: Range; placeholder: string } | { error: string } | undefined;

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'refactor';
  /** Index of the diagnostic (in the list given) this action fixes, if any. */
  diagnostic?: number;
  edit: WorkspaceEdit;
  isPreferred?: boolean;
}

export type SymbolKind = 'file' | 'namespace' | 'section' | 'question' | 'code' | 'key';

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children: DocumentSymbol[];
}

export interface WorkspaceSymbol {
  name: string;
  kind: SymbolKind;
  /** Where it lives: the guide or codebook, for the picker's second column. */
  containerName?: string;
  location: Location;
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}
