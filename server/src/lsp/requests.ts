/**
 * The custom requests (`transcriptCoder/*`) and server commands (`workspace/executeCommand`) of
 * protocol.ts, answered from a `StudyAccess`: find the study, call the core, convert through wire.ts.
 *
 * A request that fails unexpectedly is logged and answered with its empty result, so one bad
 * document never leaves a view without an answer; a cancelled one is answered as cancelled.
 * Commands answer a refusal or a failure with a JSON-RPC error whose message a researcher can read
 * (commands.ts).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';
import { AGREEMENT_UNITS, comparingCopies, type AgreementUnit, type Coder } from '../core/agreement';
import { codeCounts, codedSegments, type SegmentQuery } from '../core/counts';
import { memos, type MemoQuery } from '../core/memos';
import { coverageReport, type CoverageReport as CoreCoverageReport } from '../core/coverage';
import { getCodeDefinitions, getDecorations, getQuestionLocation } from '../core/languageService';
import { fileKind } from '../core/ids';
import { codeMatrix } from '../core/matrix';
import { coverageHtml, type HtmlOptions } from '../core/render/coverageReport';
import { Study, type TranscriptDocument } from '../core/study';
import { readTranscript } from '../host/loadStudy';
import { GitReadError, gitBranches, GitStudyHost } from '../host/gitHost';
import { NodeStudyHost } from '../host/nodeHost';
import type { StudyHost } from '../host/studyHost';
import { matrixBy } from '../host/tableExports';
import {
  AgreementRequest, COMMAND_REFUSED, GitRevisionsRequest, RevisionTextRequest, type GitRevisionsParams, type GitRevisionsResult, type RevisionTextParams, type RevisionTextResult, CodeCountsRequest, CodeDefinitionsRequest, CoverageHtmlRequest, CoverageRequest, DecorationsRequest, MatrixRequest, MemosRequest, QuestionLocationRequest,
  SegmentsRequest, type CodeCountsResult, type CodeDefinitionsResult, type CoverageHtmlParams, type CoverageResult,
  type AgreementParams, type AgreementReport, type DecorationsResult, type MatrixParams, type MatrixResult, type MemosResult, type SegmentsResult, type StudyTarget, type WireLocation,
} from '../protocol';
import { wireAgreement, wireCodeCount, wireCodeDefinition, wireCoverage, wireDecoration, wireLocation, wireMatrix, wireMemo, wireSegment } from '../wire';
import { isRange, registerCommands } from './commands';
import { stringsOf, whereOf } from './params';
import { Slices, throwIfCancelled } from './scheduler';
import type { StudyAccess, StudyContext } from './studyAccess';

/** Registers every custom request and server command on `connection`. */
export function registerStudyRequests(connection: Connection, access: StudyAccess): void {
  const answer = <P, R>(what: string, empty: R, run: (params: P, token: CancellationToken) => Promise<R>) =>
    async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await run(params, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        access.log(`${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return empty;
      }
    };
  /** The study a request names, or undefined; a request cancelled meanwhile is answered as cancelled. */
  const study = async (target: StudyTarget, token: CancellationToken): Promise<StudyContext | undefined> => {
    const ctx = await access.target(target, token);
    throwIfCancelled(token);
    return ctx;
  };

  connection.onRequest(CodeCountsRequest, answer('Code counts', [] as CodeCountsResult, async (p, token) => {
    const ctx = await study(targetOf(p), token);
    return ctx ? codeCounts(ctx.study, ctx.key !== undefined ? { uri: ctx.key } : {}).map(wireCodeCount) : [];
  }));

  connection.onRequest(SegmentsRequest, answer('Coded segments', [] as SegmentsResult, async (p, token) => {
    const ctx = await study(targetOf(p), token);
    if (!ctx) return [];
    const query: SegmentQuery = { filter: whereOf(p?.where), exact: p?.exact === true };
    if (typeof p?.code === 'string') query.code = p.code;
    const codes = stringsOf(p?.codes), questions = stringsOf(p?.questions), overlapping = stringsOf(p?.overlapping), missing = stringsOf(p?.missing);
    if (codes) query.codes = codes;
    if (questions) query.questions = questions;
    if (overlapping) query.overlapping = overlapping;
    if (missing) query.missing = missing;
    const files = stringsOf(p?.files);
    if (files) query.files = files;
    if (typeof p?.context === 'number' && Number.isFinite(p.context) && p.context > 0) query.context = Math.min(Math.floor(p.context), 1000);
    if (ctx.key !== undefined) query.uri = ctx.key;
    // The study keeps models, not texts: excerpts come from the texts the models were parsed from.
    return codedSegments(ctx.study, (key) => ctx.text(key), query).map((r) => wireSegment(r, ctx.uriOf));
  }));

  connection.onRequest(MemosRequest, answer('Memos', [] as MemosResult, async (p, token) => {
    const ctx = await study(targetOf(p), token);
    if (!ctx) return [];
    const query: MemoQuery = { filter: whereOf(p?.where) };
    const codes = stringsOf(p?.codes);
    if (codes) query.codes = codes;
    if (ctx.key !== undefined) query.uri = ctx.key;
    return memos(ctx.study, (key) => ctx.text(key), query).map((r) => wireMemo(r, ctx.uriOf));
  }));

  connection.onRequest(CoverageRequest, answer('Coverage', { guides: [] } as CoverageResult, async (p, token) => {
    const ctx = await study(targetOf(p), token);
    return ctx ? wireCoverage(reportOf(ctx), ctx.uriOf) : { guides: [] };
  }));

  connection.onRequest(CoverageHtmlRequest, answer('Coverage report page', '', async (p: CoverageHtmlParams, token) => {
    const ctx = await study(targetOf(p), token);
    return coverageHtml(ctx ? reportOf(ctx) : { guides: [] }, htmlOptions(p));
  }));

  connection.onRequest(CodeDefinitionsRequest, answer('Code definitions', [] as CodeDefinitionsResult, async (p, token) => {
    const ctx = await study(targetOf(p), token);
    return ctx ? getCodeDefinitions(ctx.study).map((d) => wireCodeDefinition(d, ctx.uriOf)) : [];
  }));

  connection.onRequest(QuestionLocationRequest, answer('Question location', null as WireLocation | null, async (p, token) => {
    if (typeof p?.guide !== 'string' || typeof p.id !== 'string') return null;
    const ctx = await study({ uri: p.guide }, token);
    const location = ctx?.key !== undefined ? getQuestionLocation(ctx.study, ctx.key, p.id) : undefined;
    return location ? wireLocation(location, ctx!.uriOf) : null;
  }));

  connection.onRequest(DecorationsRequest, answer('Decorations', { version: null, decorations: [] } as DecorationsResult, async (p, token) => {
    if (typeof p?.uri !== 'string') return { version: null, decorations: [] };
    const ctx = await study({ uri: p.uri }, token);
    if (!ctx || ctx.key === undefined) return { version: null, decorations: [] };
    const range = isRange(p.range) ? p.range : undefined;
    // Read together, with no wait between them: the ranges belong to this version.
    return { version: ctx.version(ctx.key), decorations: getDecorations(ctx.study, ctx.key, range).map(wireDecoration) };
  }));

  const noTable = (by: unknown): MatrixResult => ({ by: typeof by === 'string' ? by : '', exact: false, columns: [], rows: [] });
  connection.onRequest(MatrixRequest, answer('Analysis table', noTable(''), async (p: MatrixParams, token) => {
    if (typeof p?.by !== 'string' || p.by.trim() === '') return noTable(p?.by);
    const ctx = await study(targetOf(p), token);
    if (!ctx) return noTable(p.by);
    const by = matrixBy(p.by);
    const codes = stringsOf(p.codes);
    // A document named narrows the table to that transcript, as for code counts.
    const scoped = ctx.key !== undefined ? Study.fromFiles(ctx.study.documents().filter((d) => d.kind !== 'transcript' || d.uri === ctx.key)
      .map((d) => ({ uri: d.uri, path: d.path, model: d.model }))) : ctx.study;
    return wireMatrix(codeMatrix(scoped, { by, codes, filter: whereOf(p.where), exact: p.exact === true }));
  }));

  const noComparison: AgreementReport = {
    unit: 'character', a: '', b: '', transcripts: [], codes: [], overall: { both: 0, onlyA: 0, onlyB: 0, neither: 0, percent: null, kappa: null, alpha: null }, disagreements: [],
  };
  connection.onRequest(AgreementRequest, answer('Agreement between coders', noComparison, async (p: AgreementParams, token) => {
    const unit = (p?.unit ?? 'character') as AgreementUnit;
    if (!AGREEMENT_UNITS.includes(unit)) throw refused(`Unknown unit '${String(p.unit)}': use ${AGREEMENT_UNITS.join(', ')}.`);
    const codes = stringsOf(p?.codes);
    const log = (m: string): void => access.log(m);
    // Both copies are read from disk (or from git's objects) as `agree` reads them, whatever the editor has
    // open: a coder's copy is usually not a workspace folder at all.
    const hosts: Record<Coder, CopyHost> = {
      A: copyHost(p?.a, revisionOf(p?.revisionA), 'first', log),
      B: copyHost(p?.b, revisionOf(p?.revisionB), 'second', log),
    };
    const slices = new Slices(token);
    const files = (coder: Coder): string[] => hosts[coder].host.listFiles().filter((f) => fileKind(f) === 'transcript');
    const steps = comparingCopies(files('A'), files('B'), (coder, file) => {
      const r = readTranscript(hosts[coder].host, file);
      if (!('error' in r)) return r;
      log(`Agreement between coders: cannot read ${file} in ${hosts[coder].label}: ${r.error}; it was left out of the comparison.`);
      return undefined;
    }, { unit, codes });
    // A pair at a time, yielding between slices (the scheduler's rule 4), so that a cancellation is read.
    for (;;) {
      const step = steps.next();
      if (step.done) return wireAgreement(step.value, copyName(p.a, hosts.A), copyName(p.b, hosts.B));
      if (slices.due()) await slices.pause();
    }
  }));

  connection.onRequest(GitRevisionsRequest, answer('Listing git branches', { repository: false, current: null, branches: [] } as GitRevisionsResult, async (p: GitRevisionsParams) => {
    const folder = folderPath(p?.folder);
    if (folder === undefined) throw refused('Listing branches needs a folder\'s file URI (file:///…).');
    try {
      return { repository: true, ...gitBranches(folder) };
    } catch (err) {
      if (err instanceof GitReadError) return { repository: false, current: null, branches: [], reason: err.message };
      if ((err as { code?: string }).code === 'ENOENT') return { repository: false, current: null, branches: [], reason: 'the git program is not installed' };
      throw err;
    }
  }));

  connection.onRequest(RevisionTextRequest, answer('Reading the other copy of a file', { text: '' } as RevisionTextResult, async (p: RevisionTextParams) => {
    const file = typeof p?.file === 'string' ? p.file : '';
    if (!fileKind(file)) throw refused(`${file || 'That file'} is not a study file (a guide, a codebook or a transcript).`);
    const revision = revisionOf(p?.revision);
    // The same checks as for a copy being compared: a folder holding study files (at that revision).
    const copy = copyHost(p?.folder, revision, 'other', (m) => access.log(m));
    // Only the copy's own study files: nothing under .git or node_modules, nothing excluded, nothing outside.
    if (!copy.host.listFiles().includes(file)) throw refused(`There is no ${file} in ${copy.label}.`);
    const r = copy.host instanceof GitStudyHost ? copy.host.readOne(file) : copy.host.readText(file);
    if ('error' in r) throw refused(`Cannot read ${file} in ${copy.label}: ${r.error}.`);
    return { text: r.text };
  }));

  registerCommands(connection, access);
}

function refused(message: string): ResponseError<void> {
  return new ResponseError(COMMAND_REFUSED, message);
}

/** A copy of the study, and how it is named in messages. */
interface CopyHost {
  host: StudyHost;
  label: string;
  revision?: string;
}

/** A revision parameter: a non-empty string, or undefined. */
function revisionOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The folder a `file:` URI names, or undefined. */
function folderPath(uri: unknown): string | undefined {
  try {
    return typeof uri === 'string' && uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** How the report names a copy: the URI given, with `@revision` for a revision. */
function copyName(uri: string, copy: CopyHost): string {
  return copy.revision ? `${uri}@${copy.revision}` : uri;
}

/** The study folder `folder` as git revision `revision` has it, refused in the researcher's words when it cannot be read. */
function gitHost(folder: string, revision: string): GitStudyHost {
  try {
    return new GitStudyHost(folder, revision);
  } catch (err) {
    if (err instanceof GitReadError) throw refused(`${err.message[0].toUpperCase()}${err.message.slice(1)}.`);
    if ((err as { code?: string }).code === 'ENOENT') throw refused('Reading a git revision needs the git program, which is not installed.');
    throw err;
  }
}

/** The study folder a copy's URI names (at a git revision, when given), refused in the researcher's words when it is not one. */
function copyHost(uri: unknown, revision: string | undefined, which: 'first' | 'second' | 'other', log: (message: string) => void): CopyHost {
  const folder = folderPath(uri);
  if (folder === undefined) {
    throw refused(`Comparing coders needs the ${which} copy of the study as a folder's file URI (file:///…)${typeof uri === 'string' ? `, not ${uri}` : ''}.`);
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw refused(`The ${which} copy of the study, ${folder}, does not exist.`);
  }
  if (!isFolder) throw refused(`The ${which} copy of the study, ${folder}, is a file: choose the study folder.`);
  const host = revision !== undefined ? gitHost(folder, revision) : new NodeStudyHost(folder);
  const label = revision !== undefined ? `${folder} at ${revision}` : folder;
  for (const problem of host.settingsProblems()) log(`Agreement between coders, ${label}: ${problem}.`);
  if (host.listFiles().length === 0) {
    throw refused(revision !== undefined
      ? `There are no study files in ${folder} in ${revision} (no *.guide.yaml, *.codebook.yaml or *.transcript): check that it is the ${which} coder's branch.`
      : `There are no study files in ${folder} (no *.guide.yaml, *.codebook.yaml or *.transcript): check that it is the ${which} copy of the study.`);
  }
  return revision !== undefined ? { host, label, revision } : { host, label };
}

/** The study fields of a request's parameters (which may be missing or malformed). */
function targetOf(p: StudyTarget | null | undefined): StudyTarget {
  const out: StudyTarget = {};
  if (typeof p?.uri === 'string') out.uri = p.uri;
  if (typeof p?.folder === 'string') out.folder = p.folder;
  return out;
}

/**
 * The coverage report a request asks for: the study's; with a document named, the report of that
 * transcript alone (its guide, with its totals of its own), or no guide when it is not a transcript
 * or its guide cannot be resolved (the transcript is then listed as unresolved).
 */
function reportOf(ctx: StudyContext): CoreCoverageReport {
  if (ctx.key === undefined) return coverageReport(ctx.study);
  const doc = ctx.study.get(ctx.key);
  if (!doc || doc.kind !== 'transcript') return { guides: [] };
  const alone = Study.fromFiles([...ctx.study.guides(), doc as TranscriptDocument].map((d) => ({ uri: d.uri, path: d.path, model: d.model })));
  const report = coverageReport(alone);
  const out: CoreCoverageReport = { guides: report.guides.filter((g) => g.transcripts.length > 0) };
  if (report.unresolved) out.unresolved = report.unresolved;
  return out;
}

function htmlOptions(p: CoverageHtmlParams | null | undefined): HtmlOptions {
  const out: HtmlOptions = {};
  for (const key of ['title', 'csp', 'nonce', 'toolbar', 'script'] as const) {
    const value = p?.[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
