/**
 * The benchmark's hostile inputs (test/bench/adversarial.ts): whole commands on each shape (`check`,
 * `codes --segments`, `import qdc`), and a keystroke in a transcript of each shape, measured in process on
 * the core (parse, study update, diagnostics: what the server does for an edit). Each command runs with a
 * time limit, so that a build that is quadratic on a shape (`--dist` of an older one) shows as "> limit".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { diagnose } from '../../server/src/core/diagnostics';
import { Study } from '../../server/src/core/study';
import { ADVERSARIAL_CODEBOOK, ADVERSARIAL_GUIDE, sameNameCodebook, TRANSCRIPT_SHAPES, writeAdversarialStudy, type TranscriptShape } from './adversarial';
import { timeProcess, type ProcessTiming } from './processes';
import { median, round } from './stats';

export interface AdversarialOptions {
  cli: string;
  /** Where the inputs are written. */
  dir: string;
  /** Size of each transcript shape, in bytes. */
  bytes: number;
  /** Sizes of the one-line transcript for `codes --segments`, in bytes. */
  oneLineBytes: number[];
  /** Numbers of same-name codes for `import qdc`. */
  codeCounts: number[];
  runs: number;
  timeoutMs: number;
  log: (message: string) => void;
}

/** Wall-clock ms (median of the runs), or null when a run passed the time limit. */
export interface CommandFigure {
  ms: number | null;
  peakRssMb: number | null;
}

export interface AdversarialFigures {
  bytes: number;
  timeoutMs: number;
  shapes: Record<TranscriptShape, { check: CommandFigure; segments: CommandFigure; keystrokeP50Ms: number; keystrokeMaxMs: number; diagnostics: number }>;
  oneLineSegments: { bytes: number; segments: CommandFigure }[];
  importSameName: { codes: number; import: CommandFigure }[];
}

const LABELS: Record<TranscriptShape, string> = {
  memoLines: 'memo lines in one paragraph',
  oneLine: 'the whole interview on one line',
  deepNesting: 'spans nested to the end',
  manyMarkers: 'a marker on every line',
};

function measure(o: AdversarialOptions, args: string[]): CommandFigure {
  const runs: ProcessTiming[] = [];
  for (let i = 0; i < o.runs; i++) {
    const r = timeProcess(process.execPath, [o.cli, ...args], undefined, o.timeoutMs);
    runs.push(r);
    // A run that passed the limit will again: the figure is "more than the limit".
    if (r.timedOut) return { ms: null, peakRssMb: null };
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  }
  const rss = runs.map((r) => r.maxRssMb).filter((x): x is number => x !== null);
  return { ms: round(median(runs.map((r) => r.wallMs)), 0), peakRssMb: rss.length ? round(Math.max(...rss), 0) : null };
}

/** A keystroke at the end of a transcript of `text`: the core's work for one edit, median and worst of 12 after 3 to warm up. */
function keystroke(text: string): { p50: number; max: number; diagnostics: number } {
  let study = Study.fromFiles([
    { uri: 'g.guide.yaml', path: 'g.guide.yaml', text: ADVERSARIAL_GUIDE },
    { uri: 'c.codebook.yaml', path: 'c.codebook.yaml', text: ADVERSARIAL_CODEBOOK },
  ]);
  const times: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < 15; i++) {
    const at = text.length - 1 - i;
    const edited = `${text.slice(0, at)}x${text.slice(at)}`;
    const t0 = performance.now();
    study = study.withDocument('t.transcript', 't.transcript', edited);
    diagnostics = diagnose(study, 't.transcript').length;
    if (i >= 3) times.push(performance.now() - t0);
  }
  return { p50: round(median(times), 1), max: round(Math.max(...times), 1), diagnostics };
}

export function measureAdversarial(o: AdversarialOptions): AdversarialFigures {
  mkdirSync(o.dir, { recursive: true });
  const shapes = {} as AdversarialFigures['shapes'];
  for (const shape of Object.keys(TRANSCRIPT_SHAPES) as TranscriptShape[]) {
    const folder = path.join(o.dir, `${shape}-${o.bytes}`);
    writeAdversarialStudy(folder, shape, o.bytes);
    const check = measure(o, ['check', folder]);
    const segments = measure(o, ['codes', folder, '--segments']);
    const k = keystroke(TRANSCRIPT_SHAPES[shape](o.bytes));
    shapes[shape] = { check, segments, keystrokeP50Ms: k.p50, keystrokeMaxMs: k.max, diagnostics: k.diagnostics };
    o.log(`   ${LABELS[shape]}: check ${show(check)}, codes --segments ${show(segments)}, keystroke ${k.p50} ms (worst ${k.max})`);
  }
  const oneLineSegments = o.oneLineBytes.map((bytes) => {
    const folder = path.join(o.dir, `oneLine-${bytes}`);
    writeAdversarialStudy(folder, 'oneLine', bytes);
    const segments = measure(o, ['codes', folder, '--segments']);
    o.log(`   one line of ${bytes / 1e6} MB: codes --segments ${show(segments)}`);
    return { bytes, segments };
  });
  const importSameName = o.codeCounts.map((codes) => {
    const file = path.join(o.dir, `same-name-${codes}.qdc`);
    writeFileSync(file, sameNameCodebook(codes));
    const figure = measure(o, ['import', 'qdc', file, '-o', path.join(o.dir, 'imported.codebook.yaml'), '--force']);
    o.log(`   import qdc, ${codes} codes of one name: ${show(figure)}`);
    return { codes, import: figure };
  });
  return { bytes: o.bytes, timeoutMs: o.timeoutMs, shapes, oneLineSegments, importSameName };
}

function show(f: CommandFigure, limitMs?: number): string {
  return f.ms === null ? `> ${limitMs !== undefined ? `${limitMs / 1000} s` : 'the time limit'}` : `${f.ms} ms`;
}

/** The figures as the table `npm run bench` prints. */
export function adversarialTable(a: AdversarialFigures): string {
  const mb = (b: number): string => `${round(b / 1e6, 1)} MB`;
  const rows: [string, string, string, string][] = [];
  for (const shape of Object.keys(a.shapes) as TranscriptShape[]) {
    const s = a.shapes[shape];
    rows.push([`${LABELS[shape]} (${mb(a.bytes)})`, show(s.check, a.timeoutMs), show(s.segments, a.timeoutMs), `${s.keystrokeP50Ms} / ${s.keystrokeMaxMs} ms`]);
  }
  for (const o of a.oneLineSegments) rows.push([`one line, ${mb(o.bytes)}`, '', show(o.segments, a.timeoutMs), '']);
  for (const i of a.importSameName) rows.push([`import qdc: ${i.codes.toLocaleString('en')} codes of one name`, show(i.import, a.timeoutMs), '', '']);
  const head: [string, string, string, string] = ['Hostile input', 'check / import', 'codes --segments', 'keystroke p50 / worst'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' │ ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...rows.map(line)].join('\n');
}
