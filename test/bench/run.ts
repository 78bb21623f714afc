/**
 * `npm run bench`: the product on studies of 100, 1,000 and 3,000 transcripts of ~60 KB,
 * measured against ripgrep scanning the same bytes in the same run (the physical limit
 * of reading and scanning them). Prints a table, an ASCII chart of how cost grows, and a
 * last line `BENCH {json}`. See docs/performance.md for what each figure means.
 *
 *   npm run bench                          # sizes 100, 1000, 3000
 *   npm run bench -- --sizes 1000          # one size
 *   npm run bench -- --quick               # a fast smoke run on small studies
 *   npm run bench -- --no-lsp --runs 9     # the CLI only, more runs
 *   npm run bench -- --svg docs/performance-scaling.svg
 *   npm run bench -- --profile-server prof  # CPU profiles of the language server, one per size
 *   npm run bench -- --dist ../old/dist     # another build, against the same studies
 *   npm run bench -- --adversarial-only     # the hostile inputs alone (test/bench/adversarial.ts)
 *   npm run bench -- --adversarial-runs 1   # one run of each hostile command (3 by default)
 *   npm run bench -- --no-adversarial       # the studies alone
 *
 * Each size also gets a second coder's copy (`nN-coder-b`: the same transcripts, about one code in ten
 * dropped, renamed or moved, and a few added; test/bench/generate.ts) and times `agree` between the two.
 *
 * The question-marker matcher is timed in this process on a long interview (test/bench/markers.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { adversarialTable, measureAdversarial, type AdversarialFigures } from './adversarialRun';
import { ensureSecondCoder, ensureStudy, type StudySummary } from './generate';
import { measureLsp, type ExpectedDiagnostic, type LspFigures } from './lsp';
import { measureMarkers } from './markers';
import { hasGnuTime, timeProcess, type ProcessTiming } from './processes';
import { growthExponent, machine, median, round, type Machine } from './stats';

const ROOT = path.join(__dirname, '..', '..');

const { values: opts } = parseArgs({
  options: {
    dist: { type: 'string' },
    sizes: { type: 'string' },
    quick: { type: 'boolean' },
    runs: { type: 'string' },
    requests: { type: 'string' },
    edits: { type: 'string' },
    'no-lsp': { type: 'boolean' },
    out: { type: 'string' },
    rg: { type: 'string' },
    svg: { type: 'string' },
    json: { type: 'string' },
    'profile-server': { type: 'string' },
    'no-adversarial': { type: 'boolean' },
    'adversarial-only': { type: 'boolean' },
    'adversarial-runs': { type: 'string' },
  },
});

// `--dist` measures another build (e.g. of an earlier version) against the same studies.
const DIST = path.resolve(ROOT, opts.dist ?? 'dist');
const CLI = path.join(DIST, 'cli.js');
const SERVER = path.join(DIST, 'server.js');
const quick = opts.quick ?? false;
const sizes = (opts.sizes ?? (quick ? '20,60' : '100,1000,3000')).split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 2)) fail(`--sizes takes whole numbers of at least 2, such as 100,1000,3000`);
const runs = Number(opts.runs ?? (quick ? 3 : 7));
const requests = Number(opts.requests ?? (quick ? 40 : 200));
const edits = Number(opts.edits ?? (quick ? 10 : 30));
const outDir = path.resolve(ROOT, opts.out ?? 'bench-study');
const rg = opts.rg ?? (existsSync('/usr/bin/rg') ? '/usr/bin/rg' : 'rg');
/** The size whose figures are the headline (the target study of 1,000 transcripts, or the nearest run). */
const headline = sizes.includes(1000) ? 1000 : sizes[Math.min(sizes.length - 1, 1)] ?? sizes[0];

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface SizeResult {
  transcripts: number;
  files: number;
  bytes: number;
  commonCodeUses: number;
  check: { wallMs: number; cpuMs: number | null; maxRssMb: number | null; status: number | null; runs: number[] };
  rg: { wallMs: number; cpuMs: number | null; runs: number[] };
  ratioVsRg: number;
  /** `agree` between the study and a second coder's copy of it (character units, JSON to a pipe). */
  agree: { wallMs: number; cpuMs: number | null; maxRssMb: number | null; status: number | null; runs: number[]; disagreements: number };
  /** `matrix --by question` and `--by code` (Markdown to a pipe), timed alternately with `check`. */
  matrix: Record<'question' | 'code', { wallMs: number; cpuMs: number | null; runs: number[]; ratioVsCheck: number }>;
  lsp: LspFigures | null;
}

function studyFileCount(dir: string): number {
  const r = spawnSync(rg, ['--no-ignore', '--files', '-g', '*.transcript', '-g', '*.guide.yaml', '-g', '*.codebook.yaml', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) fail(`cannot run ${rg} (${r.error.message}); install ripgrep (Debian: apt-get install ripgrep)`);
  return r.stdout.split('\n').filter(Boolean).length;
}

function checkJson(dir: string): ExpectedDiagnostic[] {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) fail(`check --format json failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ExpectedDiagnostic[];
}

async function measureSize(n: number): Promise<SizeResult> {
  const dir = path.join(outDir, `n${n}`);
  log(`\n== ${n} transcripts: ${path.relative(ROOT, dir)}`);
  const t0 = performance.now();
  const study: StudySummary = ensureStudy(dir, n);
  log(`   study ready (${study.files} files, ${round(study.bytes / 1e6)} MB) in ${Math.round(performance.now() - t0)} ms`);
  const seen = studyFileCount(dir);
  if (seen !== study.files) fail(`rg sees ${seen} study files in ${dir}, the generator wrote ${study.files}`);

  // Warm the file cache and both programs, then alternate them so that noise hits both alike.
  const rgArgs = ['--no-ignore', '--count-matches', '[#@]\\w', dir];
  const checkArgs = [CLI, 'check', dir];
  const matrixArgs = { question: [CLI, 'matrix', dir, '--by', 'question'], code: [CLI, 'matrix', dir, '--by', 'code'] };
  timeProcess(rg, rgArgs);
  timeProcess(process.execPath, checkArgs);
  for (const args of Object.values(matrixArgs)) timeProcess(process.execPath, args);
  const rgRuns: ProcessTiming[] = [];
  const checkRuns: ProcessTiming[] = [];
  const matrixRuns: Record<'question' | 'code', ProcessTiming[]> = { question: [], code: [] };
  for (let i = 0; i < runs; i++) {
    rgRuns.push(timeProcess(rg, rgArgs));
    checkRuns.push(timeProcess(process.execPath, checkArgs));
    matrixRuns.question.push(timeProcess(process.execPath, matrixArgs.question));
    matrixRuns.code.push(timeProcess(process.execPath, matrixArgs.code));
    log(`   run ${i + 1}/${runs}: check ${Math.round(checkRuns[i].wallMs)} ms, rg ${Math.round(rgRuns[i].wallMs)} ms, `
      + `matrix --by question ${Math.round(matrixRuns.question[i].wallMs)} ms, --by code ${Math.round(matrixRuns.code[i].wallMs)} ms`);
  }
  for (const [by, xs] of Object.entries(matrixRuns)) if (xs[0].status !== 0) fail(`matrix --by ${by} exited with ${xs[0].status}`);
  // Two coders' copies compared at character level, as a team would before moderation.
  const coderB = `${dir}-coder-b`;
  const t1 = performance.now();
  ensureSecondCoder(dir, coderB, study);
  log(`   second coder's copy ready in ${Math.round(performance.now() - t1)} ms`);
  const agreeArgs = [CLI, 'agree', '--format', 'json', dir, coderB];
  const agreeOut = spawnSync(process.execPath, agreeArgs, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (agreeOut.status !== 0) fail(`agree failed (${agreeOut.status}): ${agreeOut.stderr}`);
  const disagreements = (JSON.parse(agreeOut.stdout) as { disagreements: unknown[] }).disagreements.length;
  const agreeRuns: ProcessTiming[] = [];
  for (let i = 0; i < runs; i++) {
    agreeRuns.push(timeProcess(process.execPath, agreeArgs));
    log(`   run ${i + 1}/${runs}: agree ${Math.round(agreeRuns[i].wallMs)} ms`);
  }
  const status = checkRuns[0].status;
  if (status !== 1) log(`   note: check exited with ${status}, expected 1 (the study holds deliberate errors)`);
  const cpu = (xs: ProcessTiming[]): number | null => (hasGnuTime ? round(median(xs.map((x) => x.cpuMs ?? NaN)), 0) : null);
  const checkMs = median(checkRuns.map((r) => r.wallMs));
  const rgMs = median(rgRuns.map((r) => r.wallMs));
  const result: SizeResult = {
    transcripts: n, files: study.files, bytes: study.bytes, commonCodeUses: study.commonCodeUses,
    check: {
      wallMs: round(checkMs, 0), cpuMs: cpu(checkRuns), status,
      maxRssMb: hasGnuTime ? round(Math.max(...checkRuns.map((r) => r.maxRssMb ?? 0)), 0) : null,
      runs: checkRuns.map((r) => round(r.wallMs, 0)),
    },
    rg: { wallMs: round(rgMs, 0), cpuMs: cpu(rgRuns), runs: rgRuns.map((r) => round(r.wallMs, 0)) },
    ratioVsRg: round(checkMs / rgMs, 1),
    agree: {
      wallMs: round(median(agreeRuns.map((r) => r.wallMs)), 0), cpuMs: cpu(agreeRuns), status: agreeRuns[0].status,
      maxRssMb: hasGnuTime ? round(Math.max(...agreeRuns.map((r) => r.maxRssMb ?? 0)), 0) : null,
      runs: agreeRuns.map((r) => round(r.wallMs, 0)), disagreements,
    },
    matrix: {
      question: matrixFigures(matrixRuns.question, checkMs, cpu),
      code: matrixFigures(matrixRuns.code, checkMs, cpu),
    },
    lsp: null,
  };

  if (!opts['no-lsp']) {
    if (!existsSync(SERVER)) log('   no dist/server.js: run `npm run build` first; LSP figures skipped');
    else {
      log('   language server…');
      const expected = checkJson(dir);
      const transcripts = spawnSync(rg, ['--no-ignore', '--files', '-g', '*.transcript', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
        .stdout.split('\n').filter(Boolean).map((f) => path.relative(dir, f).split(path.sep).join('/')).sort();
      const ordinary = transcripts.filter((t) => t !== study.longTranscript);
      const step = Math.max(1, Math.floor(ordinary.length / 20));
      result.lsp = await measureLsp({
        serverJs: SERVER, study: dir,
        nodeArgs: opts['profile-server'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts['profile-server'], `n${n}`)}`] : [], probe: ordinary[0], expected,
        openForRequests: ordinary.filter((_, i) => i % step === 0).slice(0, 20),
        longTranscript: study.longTranscript, commonCode: study.commonCode,
        requests, edits, renameRuns: quick ? 3 : 5, seed: 7 + n, timeoutMs: 180_000,
      });
      const l = result.lsp;
      log(`   index ${l.indexMs} ms, all diagnostics ${l.allDiagnosticsMs} ms, RSS ${l.rssMb} MB${l.missing.length ? `; missing: ${l.missing.join('; ')}` : ''}`);
    }
  }
  return result;
}

function matrixFigures(xs: ProcessTiming[], checkMs: number, cpu: (xs: ProcessTiming[]) => number | null): SizeResult['matrix']['question'] {
  const wall = median(xs.map((x) => x.wallMs));
  return { wallMs: round(wall, 0), cpuMs: cpu(xs), runs: xs.map((x) => round(x.wallMs, 0)), ratioVsCheck: round(wall / checkMs, 2) };
}

// ---------------------------------------------------------------- output

const fmt = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));

function table(results: SizeResult[]): string {
  const rows: [string, (r: SizeResult) => string][] = [
    ['transcripts', (r) => String(r.transcripts)],
    ['files / MB', (r) => `${r.files} / ${(r.bytes / 1e6).toFixed(1)}`],
    ['check, whole process (ms)', (r) => fmt(r.check.wallMs)],
    ['  check CPU time (ms)', (r) => fmt(r.check.cpuMs)],
    ['  check peak RSS (MB)', (r) => fmt(r.check.maxRssMb)],
    ['rg --count-matches (ms)', (r) => fmt(r.rg.wallMs)],
    ['check ÷ rg', (r) => `${fmt(r.ratioVsRg, 1)}×`],
    ['matrix --by question, whole process (ms)', (r) => `${fmt(r.matrix.question.wallMs)} (${fmt(r.matrix.question.ratioVsCheck, 2)}× check)`],
    ['matrix --by code, whole process (ms)', (r) => `${fmt(r.matrix.code.wallMs)} (${fmt(r.matrix.code.ratioVsCheck, 2)}× check)`],
    ['agree A B, whole process (ms)', (r) => fmt(r.agree.wallMs)],
    ['  agree peak RSS (MB)', (r) => fmt(r.agree.maxRssMb)],
    ['  disagreements listed', (r) => String(r.agree.disagreements)],
    ['LSP initialize answered (ms)', (r) => fmt(r.lsp?.initializeMs)],
    ['LSP index ready (ms)', (r) => fmt(r.lsp?.indexMs)],
    ['  every file checked (ms)', (r) => fmt(r.lsp?.allDiagnosticsMs)],
    ['completion p50 / p95 (ms)', (r) => `${fmt(r.lsp?.completion?.p50, 1)} / ${fmt(r.lsp?.completion?.p95, 1)}`],
    ['hover p50 / p95 (ms)', (r) => `${fmt(r.lsp?.hover?.p50, 1)} / ${fmt(r.lsp?.hover?.p95, 1)}`],
    ['definition p50 / p95 (ms)', (r) => `${fmt(r.lsp?.definition?.p50, 1)} / ${fmt(r.lsp?.definition?.p95, 1)}`],
    ['references p50 / p95 (ms)', (r) => `${fmt(r.lsp?.references?.p50, 1)} / ${fmt(r.lsp?.references?.p95, 1)}`],
    ['  mean locations per answer', (r) => fmt(r.lsp?.referencesMeanLocations)],
    ['  on other tokens p50 / p95', (r) => `${fmt(r.lsp?.referencesOther?.p50, 1)} / ${fmt(r.lsp?.referencesOther?.p95, 1)}`],
    ['  on the most used code', (r) => (r.lsp?.referencesCommon ? `${fmt(r.lsp.referencesCommon.p50, 1)} / ${fmt(r.lsp.referencesCommon.p95, 1)}` : '—')],
    ['rename common code (ms)', (r) => fmt(r.lsp?.renameMs)],
    ['  edits in the rename', (r) => (r.lsp?.renameEdits ? `${r.lsp.renameEdits} (${r.commonCodeUses} uses)` : '—')],
    ['didChange → diagnostics p50/p95', (r) => `${fmt(r.lsp?.didChange?.p50, 1)} / ${fmt(r.lsp?.didChange?.p95, 1)}`],
    ['transcriptCoder/matrix p50 / p95', (r) => `${fmt(r.lsp?.matrix?.p50, 1)} / ${fmt(r.lsp?.matrix?.p95, 1)}`],
    ...(['question', 'transcript', 'code', 'role'] as const).map((by): [string, (r: SizeResult) => string] =>
      [`  by ${by} p50 / p95`, (r) => `${fmt(r.lsp?.matrixByTable[by]?.p50, 1)} / ${fmt(r.lsp?.matrixByTable[by]?.p95, 1)}`]),
    ['server RSS after indexing (MB)', (r) => fmt(r.lsp?.rssMb)],
  ];
  const widths = results.map((r) => Math.max(12, ...rows.map(([, f]) => f(r).length)));
  const labelWidth = Math.max(...rows.map(([l]) => l.length));
  const line = (label: string, cells: string[]): string => `${label.padEnd(labelWidth)} │ ${cells.map((c, i) => c.padStart(widths[i])).join(' │ ')}`;
  const out = [line('', results.map((r) => `n=${r.transcripts}`)), `${'─'.repeat(labelWidth)}─┼─${widths.map((w) => '─'.repeat(w)).join('─┼─')}`];
  for (const [label, f] of rows.slice(1)) out.push(line(label, results.map(f)));
  return out.join('\n');
}

/** Cost per MB at each size, as bars: flat bars mean linear growth. */
function asciiChart(results: SizeResult[]): string {
  const series: [string, (r: SizeResult) => number | null | undefined][] = [
    ['check ms/MB', (r) => r.check.wallMs / (r.bytes / 1e6)],
    ['rg ms/MB', (r) => r.rg.wallMs / (r.bytes / 1e6)],
    ['index ms/MB', (r) => (r.lsp?.indexMs ?? null) !== null ? r.lsp!.indexMs! / (r.bytes / 1e6) : null],
    ['RSS MB/MB', (r) => (r.lsp?.rssMb ?? null) !== null ? r.lsp!.rssMb! / (r.bytes / 1e6) : null],
  ];
  const out: string[] = ['Cost per MB of transcripts (equal bars = linear growth):'];
  for (const [name, f] of series) {
    const vals = results.map(f);
    const max = Math.max(...vals.map((v) => v ?? 0));
    if (!(max > 0)) continue;
    out.push(`  ${name}`);
    results.forEach((r, i) => {
      const v = vals[i];
      out.push(`    n=${String(r.transcripts).padEnd(5)} ${v === null || v === undefined ? '—' : `${'█'.repeat(Math.max(1, Math.round((v / max) * 40)))} ${v.toFixed(1)}`}`);
    });
  }
  return out.join('\n');
}

function svgChart(results: SizeResult[]): string {
  // Log-log axes: a straight line of slope 1 is linear growth.
  const W = 620, H = 360, L = 70, R = 200, T = 30, B = 50;
  const series: { name: string; color: string; f: (r: SizeResult) => number | null | undefined }[] = [
    { name: 'check (whole process)', color: '#e76f51', f: (r) => r.check.wallMs },
    { name: 'LSP index ready', color: '#2a9d8f', f: (r) => r.lsp?.indexMs },
    { name: 'rg (physical limit)', color: '#264653', f: (r) => r.rg.wallMs },
  ];
  const xs = results.map((r) => r.bytes / 1e6);
  // A dashed line of slope 1 from the first check time: what linear growth would look like.
  const c0 = results[0].check.wallMs;
  const cn = c0 * (xs[xs.length - 1] / xs[0]);
  const ys = [...series.flatMap((s) => results.map(s.f)), cn].filter((v): v is number => typeof v === 'number' && v > 0);
  const [x0, x1] = [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3];
  const [y0, y1] = [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5];
  const px = (x: number): number => L + ((Math.log(x) - Math.log(x0)) / (Math.log(x1) - Math.log(x0))) * (W - L - R);
  const py = (y: number): number => H - B - ((Math.log(y) - Math.log(y0)) / (Math.log(y1) - Math.log(y0))) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="18" font-weight="bold">Time against study size (log–log; slope 1 = linear)</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
  ];
  results.forEach((r, i) => {
    parts.push(`<text x="${px(xs[i]).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${r.transcripts}</text>`);
    parts.push(`<text x="${px(xs[i]).toFixed(1)}" y="${H - B + 30}" text-anchor="middle" fill="#666">${xs[i].toFixed(0)} MB</text>`);
  });
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle">transcripts</text>`);
  for (let e = Math.floor(Math.log10(y0)); e <= Math.floor(Math.log10(y1)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v < y0 || v > y1) continue;
      parts.push(`<line x1="${L - 4}" y1="${py(v).toFixed(1)}" x2="${W - R}" y2="${py(v).toFixed(1)}" stroke="#eee"/><text x="${L - 8}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
    }
  }
  parts.push(`<line x1="${px(xs[0]).toFixed(1)}" y1="${py(c0).toFixed(1)}" x2="${px(xs[xs.length - 1]).toFixed(1)}" y2="${py(cn).toFixed(1)}" stroke="#999" stroke-dasharray="4 4"/>`);
  parts.push(`<rect x="${W - R + 12}" y="${T + 10 + series.length * 20}" width="12" height="1" fill="#999"/><text x="${W - R + 30}" y="${T + 15 + series.length * 20}" fill="#666">linear growth</text>`);
  series.forEach((s, k) => {
    const pts = results.map((r, i) => [xs[i], s.f(r)] as const).filter((p): p is readonly [number, number] => typeof p[1] === 'number' && p[1] > 0);
    if (pts.length === 0) return;
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    parts.push(`<rect x="${W - R + 12}" y="${T + 10 + k * 20}" width="12" height="3" fill="${s.color}"/><text x="${W - R + 30}" y="${T + 15 + k * 20}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Growth exponents between consecutive sizes, keyed `100→1000`. Fixed start-up costs flatter the small sizes. */
function growth(results: SizeResult[]): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (let i = 1; i < results.length; i++) out[`${results[i - 1].transcripts}→${results[i].transcripts}`] = growthBetween(results[i - 1], results[i]);
  return out;
}

function growthBetween(a: SizeResult, b: SizeResult): Record<string, number | null> {
  const k = (f: (r: SizeResult) => number | null | undefined): number | null => {
    const [x, y] = [f(a), f(b)];
    return typeof x === 'number' && typeof y === 'number' && x > 0 && y > 0 ? round(growthExponent(a.bytes, x, b.bytes, y), 2) : null;
  };
  return {
    check: k((r) => r.check.wallMs), checkCpu: k((r) => r.check.cpuMs), rg: k((r) => r.rg.wallMs), agree: k((r) => r.agree.wallMs),
    index: k((r) => r.lsp?.indexMs), references: k((r) => r.lsp?.references?.p95), rename: k((r) => r.lsp?.renameMs), rss: k((r) => r.lsp?.rssMb),
  };
}

/** The hostile inputs: each shape at 1 MB (200 KB with --quick), larger one-line transcripts, same-name codebooks. */
function measureHostile(): AdversarialFigures {
  log('\n== hostile inputs (test/bench/adversarial.ts)');
  return measureAdversarial({
    cli: CLI, dir: path.join(outDir, 'adversarial'), log,
    bytes: quick ? 200_000 : 1_000_000,
    oneLineBytes: quick ? [500_000] : [2_000_000, 4_000_000, 8_000_000],
    codeCounts: quick ? [2_000, 5_000] : [10_000, 20_000, 50_000],
    runs: Number(opts['adversarial-runs'] ?? (quick ? 1 : 3)),
    timeoutMs: 120_000,
  });
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) fail('no dist/cli.js: run `npm run build` first');
  mkdirSync(outDir, { recursive: true });
  const before: Machine = machine();
  log(`bench: sizes ${sizes.join(', ')}; ${runs} whole-process runs each; ${requests} requests per feature; ${edits} edits`);
  log(`machine: ${before.cpus} CPUs (${before.cpuModel}), ${before.memoryGb} GB, Node ${before.node}, load ${before.loadAverage.join(' ')}`);
  if (opts['adversarial-only']) {
    const hostile = measureHostile();
    process.stdout.write(`\n${adversarialTable(hostile)}\n`);
    process.stdout.write(`BENCH ${JSON.stringify({ adversarial: hostile, machine: { ...before, loadAverageAfter: machine().loadAverage } })}\n`);
    return;
  }
  const results: SizeResult[] = [];
  for (const n of sizes) results.push(await measureSize(n));
  const hostile = opts['no-adversarial'] ? null : measureHostile();
  log('\n== question-marker suggestions (test/bench/markers.ts)');
  const markers = measureMarkers(runs);
  const after = machine();

  const h = results.find((r) => r.transcripts === headline) ?? results[0];
  const l = h.lsp;
  const bench = {
    files: h.files, transcripts: h.transcripts, bytes: h.bytes,
    checkMs: h.check.wallMs, checkCpuMs: h.check.cpuMs, rgMs: h.rg.wallMs, ratioVsRg: h.ratioVsRg,
    matrixByQuestionMs: h.matrix.question.wallMs, matrixByCodeMs: h.matrix.code.wallMs,
    matrixByQuestionVsCheck: h.matrix.question.ratioVsCheck, matrixByCodeVsCheck: h.matrix.code.ratioVsCheck,
    matrixRequestP50Ms: l?.matrix?.p50 ?? null, matrixRequestP95Ms: l?.matrix?.p95 ?? null,
    agreeMs: h.agree.wallMs, agreePeakRssMb: h.agree.maxRssMb, agreeDisagreements: h.agree.disagreements,
    indexMs: l?.indexMs ?? null,
    completionP95Ms: l?.completion?.p95 ?? null, hoverP95Ms: l?.hover?.p95 ?? null,
    definitionP95Ms: l?.definition?.p95 ?? null, referencesP95Ms: l?.references?.p95 ?? null,
    referencesOtherP95Ms: l?.referencesOther?.p95 ?? null, referencesCommonCodeP50Ms: l?.referencesCommon?.p50 ?? null,
    renameMs: l?.renameMs ?? null, renameEdits: l?.renameEdits ?? null,
    didChangeToDiagnosticsMs: l?.didChange?.p50 ?? null, didChangeToDiagnosticsP95Ms: l?.didChange?.p95 ?? null,
    rssMb: l?.rssMb ?? null,
    missing: l?.missing ?? (opts['no-lsp'] ? ['LSP not measured (--no-lsp)'] : []),
    scaling: results.map((r) => ({
      transcripts: r.transcripts, files: r.files, bytes: r.bytes,
      checkMs: r.check.wallMs, checkCpuMs: r.check.cpuMs, checkPeakRssMb: r.check.maxRssMb, rgMs: r.rg.wallMs, ratioVsRg: r.ratioVsRg,
      agreeMs: r.agree.wallMs, matrixByQuestionMs: r.matrix.question.wallMs, matrixByCodeMs: r.matrix.code.wallMs,
      matrixRequestP95Ms: r.lsp?.matrix?.p95 ?? null,
      indexMs: r.lsp?.indexMs ?? null, allDiagnosticsMs: r.lsp?.allDiagnosticsMs ?? null,
      completionP95Ms: r.lsp?.completion?.p95 ?? null, hoverP95Ms: r.lsp?.hover?.p95 ?? null,
      definitionP95Ms: r.lsp?.definition?.p95 ?? null, referencesP95Ms: r.lsp?.references?.p95 ?? null,
      renameMs: r.lsp?.renameMs ?? null, didChangeToDiagnosticsMs: r.lsp?.didChange?.p50 ?? null, rssMb: r.lsp?.rssMb ?? null,
    })),
    growthExponent: growth(results),
    adversarial: hostile,
    markers,
    machine: { ...before, loadAverageAfter: after.loadAverage },
  };

  process.stdout.write(`\n${table(results)}\n\n${asciiChart(results)}\n`);
  for (const [pair, g] of Object.entries(bench.growthExponent)) {
    process.stdout.write(`\nGrowth exponent k in cost ∝ size^k (1 = linear), ${pair} transcripts: `);
    process.stdout.write(`${Object.entries(g).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  process.stdout.write('\n');
  if (hostile) process.stdout.write(`\n${adversarialTable(hostile)}\n\n`);
  process.stdout.write(`Question markers, ${markers.turns} interviewer turns × a ${markers.questions}-question guide (median of ${markers.runs}): `
    + `suggestMarkers ${markers.suggestMs} ms (CPU ${markers.suggestCpuMs} ms), "Mark as question" code action ${markers.codeActionMs} ms (CPU ${markers.codeActionCpuMs} ms); `
    + `on ${markers.big.questions} questions × ${markers.big.turns} turns, the code action ${markers.big.codeActionMs} ms\n`);
  process.stdout.write(`Machine: ${before.cpus} CPUs, ${before.cpuModel}, ${before.memoryGb} GB, Node ${before.node}; load average ${before.loadAverage.join(' ')} → ${after.loadAverage.join(' ')}\n`);
  const full = { ...bench, details: results };
  const jsonOut = opts.json ?? path.join(outDir, `bench-result${opts.dist ? '-other' : ''}.json`);
  writeFileSync(jsonOut, `${JSON.stringify(full, null, 2)}\n`);
  if (opts.svg) writeFileSync(opts.svg, svgChart(results));
  process.stdout.write(`BENCH ${JSON.stringify(bench)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
