/**
 * Conversions between the core's plain results and LSP types. Positions need no
 * conversion: both count UTF-16 code units. URIs go back to the client through
 * `out`, which names a document as the client opened it.
 */
import {
  CodeActionKind, CompletionItemKind, CompletionItemTag, DiagnosticSeverity, InsertTextFormat, MarkupKind, SymbolKind,
  type CodeAction as LspCodeAction, type CompletionItem as LspCompletionItem, type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspDocumentSymbol, type FoldingRange as LspFoldingRange, type Hover as LspHover,
  type Location as LspLocation, type SymbolInformation, type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver/node';
import { isDiagnosticCode, type Severity } from '../core/diagnosticCodes';
import type { Diagnostic, DiagnosticData } from '../core/diagnostics';
import type {
  CodeAction, CompletionItem, CompletionKind, DocumentSymbol, FoldingRange, Hover, Location, SymbolKind as CoreSymbolKind,
  WorkspaceEdit, WorkspaceSymbol,
} from '../core/features/types';

export const SOURCE = 'transcript-coder';

/** Maps a document key to the URI the client knows it by. */
export type OutUri = (key: string) => string;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic, out: OutUri): LspDiagnostic {
  const lsp: LspDiagnostic = { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: SOURCE, message: d.message };
  if (d.related?.length) {
    lsp.relatedInformation = d.related.map((r) => ({ location: { uri: out(r.uri), range: r.range }, message: r.message }));
  }
  if (d.data) lsp.data = d.data;
  return lsp;
}

/** One of our diagnostics as a client sent it back (in a code action request), or undefined for another tool's. */
export function fromLspDiagnostic(d: LspDiagnostic): Diagnostic | undefined {
  if (d.source !== SOURCE || typeof d.code !== 'string' || !isDiagnosticCode(d.code)) return undefined;
  const severity = (Object.keys(SEVERITY) as Severity[]).find((s) => SEVERITY[s] === d.severity) ?? 'warning';
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  const out: Diagnostic = { code: d.code, severity, range: d.range, message };
  if (d.data && typeof d.data === 'object') out.data = d.data as DiagnosticData;
  return out;
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  code: CompletionItemKind.EnumMember,
  question: CompletionItemKind.Field,
  guide: CompletionItemKind.Module,
  role: CompletionItemKind.Constant,
  value: CompletionItemKind.Value,
};

export function toCompletionItem(c: CompletionItem): LspCompletionItem {
  const item: LspCompletionItem = {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    textEdit: c.textEdit,
    sortText: c.sortText,
    insertTextFormat: InsertTextFormat.PlainText,
  };
  if (c.detail !== undefined) item.detail = c.detail;
  if (c.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.filterText !== undefined) item.filterText = c.filterText;
  if (c.deprecated) item.tags = [CompletionItemTag.Deprecated];
  return item;
}

export function toHover(h: Hover): LspHover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range };
}

export function toLocation(l: Location, out: OutUri): LspLocation {
  return { uri: out(l.uri), range: l.range };
}

export function toWorkspaceEdit(e: WorkspaceEdit, out: OutUri): LspWorkspaceEdit {
  const changes: NonNullable<LspWorkspaceEdit['changes']> = {};
  for (const [uri, edits] of Object.entries(e.changes)) changes[out(uri)] = edits;
  return { changes };
}

/** A code action; `diagnostics` are the request's own, so the client can tie the fix to what it shows. */
export function toCodeAction(a: CodeAction, diagnostics: LspDiagnostic[], out: OutUri): LspCodeAction {
  const action: LspCodeAction = {
    title: a.title,
    kind: a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor,
    edit: toWorkspaceEdit(a.edit, out),
  };
  if (a.diagnostic !== undefined && diagnostics[a.diagnostic]) action.diagnostics = [diagnostics[a.diagnostic]];
  if (a.isPreferred) action.isPreferred = true;
  return action;
}

const SYMBOL_KIND: Record<CoreSymbolKind, SymbolKind> = {
  file: SymbolKind.File,
  namespace: SymbolKind.Namespace,
  section: SymbolKind.Module,
  question: SymbolKind.Field,
  code: SymbolKind.EnumMember,
  key: SymbolKind.Key,
};

export function toDocumentSymbol(s: DocumentSymbol): LspDocumentSymbol {
  const sym: LspDocumentSymbol = {
    name: s.name || ' ', // clients reject an empty name
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toDocumentSymbol),
  };
  if (s.detail !== undefined) sym.detail = s.detail;
  return sym;
}

/** The outline as a flat list, for clients without hierarchical document symbols. */
export function flattenSymbols(symbols: DocumentSymbol[], uri: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const walk = (list: DocumentSymbol[], container: string | undefined): void => {
    for (const s of list) {
      const info: SymbolInformation = { name: s.name || ' ', kind: SYMBOL_KIND[s.kind], location: { uri, range: s.range } };
      if (container !== undefined) info.containerName = container;
      out.push(info);
      walk(s.children, s.name);
    }
  };
  walk(symbols, undefined);
  return out;
}

export function toSymbolInformation(s: WorkspaceSymbol, out: OutUri): SymbolInformation {
  const info: SymbolInformation = { name: s.name || ' ', kind: SYMBOL_KIND[s.kind], location: toLocation(s.location, out) };
  if (s.containerName !== undefined) info.containerName = s.containerName;
  return info;
}

export function toFoldingRange(f: FoldingRange): LspFoldingRange {
  const r: LspFoldingRange = { startLine: f.startLine, endLine: f.endLine };
  if (f.kind) r.kind = f.kind;
  return r;
}
