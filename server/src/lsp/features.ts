/**
 * The standard LSP features: each handler finds the document's study (settled: see scheduler.ts,
 * rule 3), calls core/languageService.ts and converts the answer (convert.ts). Every handler
 * catches its own failures, logs them and answers with an empty result, so that one bad document
 * never takes the server down. References, rename and workspace symbols stop when the client
 * cancels them, and answer LSP's RequestCancelled error.
 */
import {
  LSPErrorCodes, ResponseError, type CancellationToken, type ClientCapabilities, type CodeAction as LspCodeAction,
  type Connection, type Diagnostic as LspDiagnostic, type SymbolInformation, type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver/node';
import { diagnose, type Diagnostic } from '../core/diagnostics';
import {
  getCodeActions, getCompletions, getDefinition, getDocumentSymbols, getFoldingRanges, getHover, getWorkspaceSymbols,
  prepareRename, rename,
} from '../core/languageService';
import type { Study } from '../core/study';
import type { Range } from '../core/text';
import {
  flattenSymbols, fromLspDiagnostic, toCodeAction, toCompletionItem, toDocumentSymbol, toFoldingRange, toHover,
  toLocation, toSymbolInformation, type OutUri,
} from './convert';
import { ReferenceAnswers } from './references';
import { Slices } from './scheduler';
import type { Located, LspWorkspace, StudyFolder } from './workspace';

/** A document's study, settled, as a handler reads it. */
export interface DocContext {
  loc: Located;
  study: Study;
}

/** What the handlers need of the server. */
export interface FeatureServer {
  readonly workspace: LspWorkspace;
  capabilities(): ClientCapabilities;
  /** The study of a document, once pending disk work and edits are applied; undefined when it belongs to none. */
  document(uri: string): Promise<DocContext | undefined>;
  /** Every study, settled. */
  studies(): Promise<StudyFolder[]>;
  fail(what: string, err: unknown): void;
}

/** Wraps a request handler: a refusal or a cancellation goes to the client as an error; any other failure is logged and answered with `empty`. */
function handler<P, R>(server: Pick<FeatureServer, 'fail'>, what: string, empty: R, run: (params: P, token: CancellationToken) => Promise<R> | R) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    try {
      return await run(params, token);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      server.fail(what, err);
      return empty;
    }
  };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function registerFeatures(c: Connection, server: FeatureServer): void {
  const ws = server.workspace;
  const out: OutUri = (key) => ws.clientUri(key);
  const references = new ReferenceAnswers();

  /** An open document's text as the study parsed it (with its version), else the file's as it is now. */
  const textOf = (ctx: DocContext): { text: string; version?: number } => {
    const doc = ctx.study.get(ctx.loc.key);
    const open = doc && ws.openSource(doc);
    return open ?? { text: ws.text(ctx.loc.key) ?? '' };
  };

  c.onCompletion(handler(server, 'Completion', [], async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    if (!ctx) return [];
    const { text, version } = textOf(ctx);
    return getCompletions(ctx.study, ctx.loc.key, text, p.position, version).map(toCompletionItem);
  }));

  c.onHover(handler(server, 'Hover', null, async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    const h = ctx && getHover(ctx.study, ctx.loc.key, p.position);
    return h ? toHover(h) : null;
  }));

  c.onDefinition(handler(server, 'Go to definition', [], async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    return ctx ? getDefinition(ctx.study, ctx.loc.key, p.position).map((l) => toLocation(l, out)) : [];
  }));

  c.onReferences(handler(server, 'Find references', [], async (p, token) => {
    const ctx = await server.document(p.textDocument.uri);
    return ctx ? references.find(ctx.study, ctx.loc.key, p.position, p.context?.includeDeclaration ?? true, out, token) : [];
  }));

  c.onPrepareRename(handler(server, 'Rename', null, async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    const r = ctx && prepareRename(ctx.study, ctx.loc.key, p.position);
    if (!r) return null;
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    return { range: r.range, placeholder: r.placeholder };
  }));

  c.onRenameRequest(handler(server, 'Rename', null, async (p, token) => {
    const ctx = await server.document(p.textDocument.uri);
    if (!ctx) return null;
    // The core's rename runs in one piece (tens of milliseconds on a code used in every transcript):
    // a cancellation that came meanwhile is read before it starts and before its edit is sent.
    const slices = new Slices(token);
    await slices.pause();
    const r = rename(ctx.study, ctx.loc.key, p.position, p.newName);
    if ('error' in r) throw new ResponseError(LSPErrorCodes.RequestFailed, r.error);
    await slices.pause();
    const changes: NonNullable<LspWorkspaceEdit['changes']> = {};
    for (const [key, edits] of Object.entries(r.edit.changes)) changes[out(key)] = edits;
    return { changes };
  }));

  c.onCodeAction(handler(server, 'Quick fixes', [], async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    if (!ctx) return [];
    const { text, version } = textOf(ctx);
    const { ours, origin } = ourDiagnostics(ctx, p.context.diagnostics ?? []);
    const only = p.context.only;
    const { interviewerLabels } = ctx.loc.folder.settings;
    return getCodeActions(ctx.study, ctx.loc.key, text, p.range, ours, version, { interviewerLabels })
      .map((a) => toCodeAction(a, origin, out))
      .filter((a: LspCodeAction) => !only?.length || only.some((k) => a.kind === k || a.kind?.startsWith(`${k}.`)));
  }));

  c.onDocumentSymbol(handler(server, 'Outline', [], async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    if (!ctx) return [];
    const symbols = getDocumentSymbols(ctx.study, ctx.loc.key);
    return server.capabilities().textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport
      ? symbols.map(toDocumentSymbol)
      : flattenSymbols(symbols, p.textDocument.uri);
  }));

  c.onFoldingRanges(handler(server, 'Folding', [], async (p) => {
    const ctx = await server.document(p.textDocument.uri);
    return ctx ? getFoldingRanges(ctx.study, ctx.loc.key).map(toFoldingRange) : [];
  }));

  c.onWorkspaceSymbol(handler(server, 'Workspace symbols', [], async (p, token) => {
    const studies = await server.studies();
    const slices = new Slices(token);
    await slices.pause();
    const found: SymbolInformation[] = [];
    for (const f of studies) {
      if (!f.ready) continue;
      for (const s of getWorkspaceSymbols(f.study, p.query)) {
        found.push(toSymbolInformation(s, out));
        if (slices.due()) await slices.pause();
      }
    }
    return found;
  }));
}

/** Recovers the `data` of diagnostics a client sent back without it, so quick fixes still work. */
function ourDiagnostics(ctx: DocContext, sent: LspDiagnostic[]): { ours: Diagnostic[]; origin: LspDiagnostic[] } {
  const ours: Diagnostic[] = [];
  const origin: LspDiagnostic[] = [];
  let fresh: Diagnostic[] | undefined;
  for (const d of sent) {
    const core = fromLspDiagnostic(d);
    if (!core) continue;
    if (!core.data) {
      fresh ??= diagnose(ctx.study, ctx.loc.key, ctx.loc.folder.settings.severity);
      const match = fresh.find((f) => f.code === core.code && sameRange(f.range, core.range));
      if (match?.data) core.data = match.data;
    }
    ours.push(core);
    origin.push(d);
  }
  return { ours, origin };
}
