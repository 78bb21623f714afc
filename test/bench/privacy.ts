/**
 * What a names list costs `check` (SPEC §13, docs/performance.md): the bench study of 1,000
 * transcripts (test/bench/generate.ts) checked without a names list and with one of 500 names,
 * alternating so that the machine's load falls on both alike. Prints a table and a last line
 * `BENCH-PRIVACY {json}`.
 *
 *   node --import tsx test/bench/privacy.ts                 # 1,000 transcripts, 7 runs each (after npm run build)
 *   node --import tsx test/bench/privacy.ts --size 100 --runs 3
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureStudy } from './generate';
import { timeProcess } from './processes';
import { median, round } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const { values: opts } = parseArgs({ options: { size: { type: 'string' }, runs: { type: 'string' }, out: { type: 'string' } } });
const n = Number(opts.size ?? 1000);
const runs = Number(opts.runs ?? 7);
const dir = path.join(path.resolve(ROOT, opts.out ?? 'bench-study'), `n${n}`);
const CLI = path.join(ROOT, 'dist', 'cli.js');

/**
 * 500 names of people and places, as a team's names list holds them: the first names the generated
 * interviews use (so that warnings are found), and invented full names and places, most of several words.
 */
export function namesList(withUsed = true): string {
  // The generator's first names; without them, no listed name occurs and only the search itself is measured.
  const used = withUsed ? ['Zoë', 'Siân', 'Łukasz', 'Niamh', 'Søren', 'José', 'Aoife', 'Chloé', 'Gareth', 'Amber', 'Kai', 'Dafydd', 'Małgorzata', 'Renée'] : [];
  const first = ['Aaliyah', 'Bartosz', 'Cerys', 'Declan', 'Efua', 'Fionnuala', 'Grzegorz', 'Hamish', 'Ifeoma', 'Jolene', 'Kwabena', 'Lorcan', 'Maëlle',
    'Nkechi', 'Oisín', 'Priyanka', 'Ruairí', 'Saoirse', 'Tadhg', 'Uchenna', 'Violetta', 'Wojciech', 'Xanthe', 'Yusuf', 'Zainab'];
  const last = ['Abernethy', 'Brzezinski', 'Cholmondeley', 'Dunleavy', 'Eze', 'Fairbairn', 'Gallagher', 'Hrabowski', 'Iwu', 'Jaworska', 'Kavanagh',
    'Llewellyn', 'McAllister', 'Nwachukwu', 'Okonkwo', 'Pietrzak', 'Quigley', 'Rafferty', 'Szczepańska', 'Thistlethwaite'];
  const places = ['Ashcombe Road', 'Brindle Court', 'Cotterill Estate', 'Dunmore Primary', 'Elmswood Surgery', 'Fenwick House', 'Greystoke Avenue',
    'Hollins Lane', 'Ivydene Nursery', 'Juniper Close'];
  const lines = used.map((name, i) => `${name}: P${i + 1}`);
  for (const p of places) lines.push(`${p}: Place ${lines.length}`);
  outer: for (const l of last) {
    for (const f of first) {
      if (lines.length >= 500) break outer;
      lines.push(lines.length % 3 === 0 ? `${f} ${l}:` : `${f} ${l}: Person ${lines.length}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function main(): void {
  ensureStudy(dir, n);
  const names = path.join(dir, 'names.private.yaml');
  rmSync(names, { force: true });
  const without: { wall: number; cpu: number | null }[] = [];
  const withList: { wall: number; cpu: number | null }[] = [];
  const absentList: { wall: number; cpu: number | null }[] = [];
  try {
    // One warm-up run of each, then alternating runs.
    for (let i = 0; i <= runs; i++) {
      rmSync(names, { force: true });
      const a = timeProcess(process.execPath, [CLI, 'check', dir]);
      writeFileSync(names, namesList(false));
      const c = timeProcess(process.execPath, [CLI, 'check', dir]);
      writeFileSync(names, namesList());
      const b = timeProcess(process.execPath, [CLI, 'check', dir]);
      if (i === 0) continue;
      without.push({ wall: a.wallMs, cpu: a.cpuMs });
      withList.push({ wall: b.wallMs, cpu: b.cpuMs });
      absentList.push({ wall: c.wallMs, cpu: c.cpuMs });
    }
    const warnings = (() => {
      const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      return (JSON.parse(r.stdout) as { code: string }[]).filter((d) => d.code === 'identifying-name').length;
    })();
    const m = (xs: { wall: number; cpu: number | null }[], k: 'wall' | 'cpu'): number => round(median(xs.map((x) => x[k] ?? NaN)), 0);
    const out = {
      transcripts: n, names: 500, runs, identifyingNameWarnings: warnings,
      withoutMs: m(without, 'wall'), withMs: m(withList, 'wall'), withoutCpuMs: m(without, 'cpu'), withCpuMs: m(withList, 'cpu'),
      absentMs: m(absentList, 'wall'), absentCpuMs: m(absentList, 'cpu'),
    };
    const extra = (a: number, b: number): string => `${round(((b - a) / a) * 100, 1)} %`;
    console.log(`check on ${n} transcripts, median of ${runs} runs each (alternating, after a warm-up run)`);
    console.log(`| | without a names list | 486 names, none in the study | extra | 500 names, ${warnings} found | extra |`);
    console.log(`|---|---|---|---|---|---|`);
    console.log(`| whole process | ${out.withoutMs} ms | ${out.absentMs} ms | ${extra(out.withoutMs, out.absentMs)} | ${out.withMs} ms | ${extra(out.withoutMs, out.withMs)} |`);
    console.log(`| CPU time | ${out.withoutCpuMs} ms | ${out.absentCpuMs} ms | ${extra(out.withoutCpuMs, out.absentCpuMs)} | ${out.withCpuMs} ms | ${extra(out.withoutCpuMs, out.withCpuMs)} |`);
    console.log(`identifying-name warnings with the list: ${warnings}`);
    console.log(`BENCH-PRIVACY ${JSON.stringify(out)}`);
  } finally {
    rmSync(names, { force: true });
  }
}

if (require.main === module) main();
