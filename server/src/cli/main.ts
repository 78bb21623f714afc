/**
 * `transcript-coder`: the study core without an editor, for scripts and CI (SPEC §8). The entry of
 * dist/cli.js: reads the command and runs it. Exit status: 0 fine, 1 the study has errors (or a file
 * could not be read, or an export failed), 2 bad arguments.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { VERSION } from '../version';
import { isUsageError, parse, UsageError, type Command } from './args';
import { check } from './check';
import { write } from './io';
import { codes, report } from './tables';

const HELP = `transcript-coder — check, count and report on a qualitative interview study

Usage:
  transcript-coder check [folder] [--format text|json]
      Every problem in the study's guides, codebooks and transcripts, like a compiler.
      Exit status 1 when any error is found.
  transcript-coder report [folder] [--format md|csv|json|html] [--where KEY=VALUE]...
      How every transcript covers its interview guide.
  transcript-coder codes [folder] [--format md|csv|json] [--segments] [--where KEY=VALUE]...
      How often each code is used; with --segments, every coded segment with its excerpt.
  transcript-coder export refi [folder] -o study.qdpx
      The whole coded study as a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder).
  transcript-coder export qdc [folder] -o codebook.qdc
      The codebook alone as a REFI-QDA codebook.
  transcript-coder import qdc codebook.qdc -o themes.codebook.yaml [--force]
      A REFI-QDA codebook from another tool, as a Transcript Coder codebook.
  transcript-coder lsp --stdio
      The language server, for editors such as Neovim, Emacs or Helix.

The folder defaults to the current folder. --where keeps only transcripts whose
front matter has that value (e.g. --where role=tm); give it several times to
narrow further (a key given twice matches either value). --bom starts CSV output
with a byte-order mark so that Excel reads accents correctly.
Settings in <folder>/.vscode/settings.json (transcriptCoder.exclude,
transcriptCoder.diagnostics.severity) apply here as in the editor.
A study file that cannot be read is an error: it is named on standard error,
left out, and the exit status is 1.

Options:
  -h, --help       show this help
  -v, --version    show the version
`;

/**
 * Loads a part of the tool that is a bundle of its own beside this one (`bundle`; from the sources, the
 * module `source` relative to this file), at run time and out of the bundler's sight: the language server,
 * and `export` and `import` with their XML and zip libraries. Every command reads and compiles all of its
 * own bundle at start-up, so keeping these out of it makes the others start about 40 ms sooner.
 */
function loadPart<T>(bundle: string, source: string): T {
  return createRequire(__filename)(path.join(__dirname, __filename.endsWith('.ts') ? source : bundle)) as T;
}

async function lsp(args: string[]): Promise<number> {
  const { values } = parse(args, ['stdio'], 'lsp');
  if (!values.stdio) throw new UsageError('lsp needs --stdio (the only transport it speaks)');
  loadPart('server.js', '../main.ts'); // the server's bundle, which starts the server when loaded
  return new Promise<number>(() => { /* the server decides when the process ends */ });
}

const extraCommand = (name: string): Command => (args) =>
  loadPart<typeof import('./interop')>('cliCommands.js', 'interop.ts').extraCommands[name](args);

const COMMANDS: Record<string, Command> = { check, report, codes, lsp, export: extraCommand('export'), import: extraCommand('import') };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    write(VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}': use check, report, codes, export, import or lsp (see --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    write(HELP);
    return 0;
  }
  return run(rest);
}

if (require.main === module) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // `| head` closed the pipe: not an error.
    throw err;
  });
  main(process.argv.slice(2)).then(
    (status) => { process.exitCode = status; },
    (err: unknown) => {
      if (isUsageError(err)) {
        process.stderr.write(`transcript-coder: ${err.message}\n`);
        process.exitCode = err.status;
      } else {
        process.stderr.write(`transcript-coder: unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
