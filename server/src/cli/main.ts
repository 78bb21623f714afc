/**
 * `transcript-coder`: the study core without an editor, for scripts and CI (SPEC §8). The entry of
 * dist/cli.js: reads the command and runs it. Exit status: 0 fine, 1 the study has errors (or a file
 * could not be read, or an export failed), 2 bad arguments (or a folder with no study file).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { VERSION } from '../version';
import { isUsageError, parse, UsageError, type Command } from './args';
import { agree } from './agree';
import { check } from './check';
import { write, writeErr } from './io';
import { matrix } from './matrix';
import { pseudonymise } from './pseudonymise';
import { codes, memos, report, segments } from './tables';

const HELP = `transcript-coder — check, count and report on a qualitative interview study

Usage:
  transcript-coder check [folder] [--format text|json]
      Every problem in the study's guides, codebooks and transcripts, like a compiler.
      Exit status 1 when any error is found.
  transcript-coder report [folder] [--format md|csv|json|html] [--where KEY=VALUE]... [--bom] [--raw]
      How every transcript covers its interview guide.
  transcript-coder codes [folder] [--format md|csv|json] [--segments] [--where KEY=VALUE]... [--bom] [--raw]
      How often each code is used; with --segments, every coded segment with its excerpt
      (--segments takes the options of segments below).
  transcript-coder segments [folder] [--code PATH]... [--question ID]... [--exact] [--context N]
                   [--overlapping PATH]... [--where KEY=VALUE]... [--format md|csv|json|html] [--bom] [--raw]
      Every passage coded with a code (and its sub-codes, unless --exact) that
      answers a question (--question q3, or GUIDE:q3), with its participant,
      question and excerpt; --context 2 adds the two paragraphs before and after;
      --overlapping PATH keeps passages that overlap one coded PATH (codes together).
  transcript-coder memos [folder] [--code PATH]... [--where KEY=VALUE]... [--format md|csv|json]
      Every memo (%% … %%) with its transcript, line, question and the codes of
      its paragraph; --code keeps memos beside that code or its sub-codes.
  transcript-coder matrix [folder] --by question|transcript|code|KEY [--code PATH]... [--exact]
                   [--where KEY=VALUE]... [--format md|csv|json|html] [--bom] [--raw]
      Codes against the guide's questions, the transcripts, each value of a
      front-matter key (--by role), or each other (--by code: passages that
      overlap). Cells count coded passages, and in brackets the transcripts
      they come from; a code counts with its sub-codes unless --exact.
      --code keeps the rows of that code and its sub-codes.
  transcript-coder export refi [folder] -o study.qdpx
      The whole coded study as a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder).
  transcript-coder export qdc [folder] -o codebook.qdc
      The codebook alone as a REFI-QDA codebook.
  transcript-coder import transcript FILE... [-o FOLDER] [--guide ID] [--role ROLE]
                   [--speaker LABEL=NEW]... [--interviewer LABEL]... [--suggest-markers] [--force]
      Interviews from Word (.docx), subtitle (.vtt from Teams or Zoom, .srt from
      Whisper) or text (.txt) files, each as a .transcript (beside it, or in
      FOLDER): one paragraph per speaker turn, times kept as [hh:mm:ss], every
      word kept as written. --speaker renames a speaker ("Interviewer 1=I").
      --suggest-markers places a question marker on each interviewer turn
      (I, Interviewer…, or the labels given by --interviewer) that clearly asks
      a question of the guide. An existing transcript is replaced only with --force.
  transcript-coder import guide FILE.docx|FILE.md|FILE.txt [-o FILE.guide.yaml] [--force]
      An interview guide written as a document, as a .guide.yaml to finish by
      hand: headings become sections, list items questions, nested items
      follow-ups, numbers such as [Q2.1] question IDs, italic or bracketed
      instructions notes.
  transcript-coder import qdc codebook.qdc -o themes.codebook.yaml [--force]
      A REFI-QDA codebook from another tool, as a Transcript Coder codebook.
  transcript-coder agree A B [--unit character|paragraph|transcript] [--code PATH]... [--format md|csv|json|html]
  transcript-coder agree --git REV_A REV_B [--unit …] [--code PATH]... [--format …]
      How far two coders agree: A and B are two copies of the study (two folders,
      or with --git two branches, tags or commits of the repository holding the
      current folder, read without checking anything out). Transcripts are paired
      by path. Per code: units both coders coded, only A, only B, neither; percent
      agreement, Cohen's kappa and Krippendorff's alpha; then every passage where
      they differ. --unit: character (the default), paragraph or transcript.
      --code keeps that code and its sub-codes (give it several times for more).
  transcript-coder pseudonymise [folder] [--dry-run]
      Replaces every name of the names list (names.private.yaml, or the file set
      by transcriptCoder.privacy.namesFile) in the transcripts by its pseudonym,
      in place, and says how many it replaced in which files; --dry-run only says.
  transcript-coder lsp --stdio
      The language server, for editors such as Neovim, Emacs or Helix.

The folder defaults to the current folder. --where keeps only transcripts whose
front matter has that value (e.g. --where role=tm); give it several times to
narrow further (a key given twice matches either value). --bom starts CSV output
with a byte-order mark so that Excel reads accents correctly. In CSV output, a
cell that begins with =, +, -, @, a tab or a carriage return starts with ' so
that a spreadsheet shows it as text instead of running it as a formula; --raw
writes every cell exactly as it is.
Settings in <folder>/.vscode/settings.json (transcriptCoder.exclude,
transcriptCoder.diagnostics.severity, transcriptCoder.privacy.namesFile) apply
here as in the editor. --redact (export refi, codes --segments, segments)
writes pseudonyms for listed names and [email], [phone], [postcode] for details.
Study files are UTF-8 text (UTF-16 with a byte-order mark is read too) inside
the folder: a link that leads outside it is left out with a warning. A study
file or folder that cannot be read is an error: it is named on standard error,
left out, and the exit status is 1. A folder with no study file is exit status 2.

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

const COMMANDS: Record<string, Command> = { check, report, codes, segments, memos, matrix, agree, pseudonymise, lsp, export: extraCommand('export'), import: extraCommand('import') };

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
  if (!run) throw new UsageError(`unknown command '${command}': use check, report, codes, segments, memos, matrix, agree, pseudonymise, export, import or lsp (see --help)`);
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
        writeErr(err.message);
        process.exitCode = err.status;
      } else {
        writeErr(`unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        process.exitCode = 1;
      }
    },
  );
}
