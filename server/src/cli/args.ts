/**
 * The CLI's arguments: options parsed the same way by every command, the folder and format
 * arguments, `--where`, and the error a bad argument (or a refused job) ends the run with.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CaseFilter } from '../core/coverage';

// Recognised by this mark rather than by class: `export` and `import` run from a bundle of their own
// (dist/cliCommands.js), which holds its own copy of this module and so of the class.
const USAGE_ERROR = Symbol.for('transcript-coder.usage-error');

/** A failure the user caused: one line on standard error and the given exit status (2: a bad argument). */
export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;

  constructor(message: string, readonly status = 2) {
    super(message);
  }
}

/** Whether `err` is a `UsageError`, whichever bundle threw it. */
export function isUsageError(err: unknown): err is UsageError {
  return typeof err === 'object' && err !== null && (err as { [USAGE_ERROR]?: boolean })[USAGE_ERROR] === true;
}

/** A command: its arguments (after the command's name) → exit status. */
export type Command = (args: string[]) => number | Promise<number>;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  where: { type: 'string', multiple: true, short: 'w' },
  segments: { type: 'boolean' },
  bom: { type: 'boolean' },
  raw: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  stdio: { type: 'boolean' },
  by: { type: 'string' },
  code: { type: 'string', multiple: true },
  exact: { type: 'boolean' },
  unit: { type: 'string' },
  git: { type: 'boolean' },
  question: { type: 'string', multiple: true },
  context: { type: 'string' },
  guide: { type: 'string' },
  role: { type: 'string' },
  speaker: { type: 'string', multiple: true },
  interviewer: { type: 'string', multiple: true },
  'suggest-markers': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  redact: { type: 'boolean' },
  overlapping: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

export type OptionName = keyof typeof OPTIONS;

export interface Parsed {
  positionals: string[];
  values: { format?: string; where?: string[]; segments?: boolean; bom?: boolean; raw?: boolean; help?: boolean; output?: string; force?: boolean; stdio?: boolean;
    by?: string; code?: string[]; exact?: boolean; unit?: string; git?: boolean; question?: string[]; context?: string;
    guide?: string; role?: string; speaker?: string[]; interviewer?: string[]; 'suggest-markers'?: boolean;
    'dry-run'?: boolean; redact?: boolean; overlapping?: string[] };
}

/** `args` with the options `allowed` (and --help); anything else is a `UsageError` naming `command`. */
export function parse(args: string[], allowed: OptionName[], command: string): Parsed {
  const options = Object.fromEntries(allowed.concat('help').map((k) => [k, OPTIONS[k]]));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    // Node's own wording names short forms the help does not show; say it as the rest of the tool does.
    const e = err as Error & { code?: string };
    const quoted = /'(-[^']*)'/.exec(e.message)?.[1];
    const option = quoted && (/--[\w-]+/.exec(quoted)?.[0] ?? quoted);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new UsageError(`${command} does not take the option ${option} (see --help)`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) throw new UsageError(`${option} needs a value (see --help)`);
    const line = oneLine(e.message);
    throw new UsageError(line.charAt(0).toLowerCase() + line.slice(1));
  }
}

function oneLine(s: string): string {
  return s.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').trim();
}

/** The study folder among the positionals: at most one, `.` when none. */
export function folderArg(positionals: string[], command: string): string {
  if (positionals.length > 1) throw new UsageError(`${command} takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0] ?? '.';
}

export function formatArg(value: string | undefined, allowed: string[], fallback: string): string {
  const f = value ?? fallback;
  if (!allowed.includes(f)) throw new UsageError(`unknown format '${f}': use ${allowed.join(', ')}`);
  return f;
}

/** `--where KEY=VALUE`s as a filter: keys narrow, values of one key widen. */
export function whereFilter(where: string[] | undefined): CaseFilter | undefined {
  if (!where?.length) return undefined;
  const filter: CaseFilter = new Map();
  for (const w of where) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new UsageError(`--where needs KEY=VALUE, got '${w}'`);
    const key = w.slice(0, eq).trim();
    const value = w.slice(eq + 1).trim();
    const set = filter.get(key) ?? new Set<string>();
    set.add(value);
    filter.set(key, set);
  }
  return filter;
}

/** `--context N`: a whole number of paragraphs, 0 when absent. */
export function contextArg(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\s*\d+\s*$/.test(value)) throw new UsageError(`--context needs a number of paragraphs, such as --context 1; got '${value}'`);
  return Number(value);
}
