/**
 * `agree` checked against an independent implementation in R. Random codings of random transcripts are
 * written as two coders' copies of a study; the test knows, by construction, which units each coder coded
 * with each code (every character, paragraph and transcript). R gets those units alone, never our
 * output, and computes the counts, Cohen's kappa from the 2×2 table (base R's `table`) and Krippendorff's
 * alpha from the coincidence matrix, as the textbooks write them (Cohen 1960; Krippendorff 2011,
 * "Computing Krippendorff's alpha-reliability"). The `irr` package would do the same but is not packaged
 * for Debian. Both must agree with `agree --format json` within 1e-9.
 * Needs `Rscript` (Debian's r-base-core): run with the client tests (`npm run test:r`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../refi/helpers';

/** mulberry32: a small seeded generator, so that a failure can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Words with accents and a character outside the BMP, which counts as one character (a code point).
const WORDS = ['mum', 'said', 'the', 'meeting', 'helped', 'café', 'naïve', 'plan', 'court', 'letter', 'late', '😀', 'social', 'worker', 'Zoë', 'time'];
const CODES = ['benefit', 'benefit/family', 'delay', 'risk', 'rare'];
const UNITS = ['character', 'paragraph', 'transcript'] as const;
type Unit = typeof UNITS[number];

interface Study {
  /** file → [coder A's text, coder B's text]. */
  files: Map<string, [string, string]>;
  /** unit → code → per-unit [A applied, B applied]. */
  units: Record<Unit, Map<string, [boolean, boolean][]>>;
}

/**
 * Two coders' copies of `transcripts` transcripts. Each paragraph is `R: ` and random words; each coder
 * codes disjoint runs of words, each run with one or more codes, written as nested spans
 * (`{{words}#a}#b`) so that the text without markup is the same in both copies.
 */
function generate(seed: number, transcripts: number): Study {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const files = new Map<string, [string, string]>();
  const units: Study['units'] = { character: new Map(), paragraph: new Map(), transcript: new Map() };
  const push = (unit: Unit, code: string, a: boolean, b: boolean, at: number): void => {
    const list = units[unit].get(code) ?? [];
    list[at] = [a, b];
    units[unit].set(code, list);
  };
  let charAt = 0, paraAt = 0;
  // How often each coder uses each code: one code almost never, so that some figures are degenerate.
  const rate = (code: string): number => (code === 'rare' ? 0.01 : 0.25);
  for (let t = 0; t < transcripts; t++) {
    const texts: [string[], string[]] = [[], []];
    const inTranscript = new Map<string, [boolean, boolean]>();
    const paragraphs = 2 + Math.floor(rnd() * 6);
    for (let p = 0; p < paragraphs; p++) {
      const words = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pick(WORDS));
      // Per coder: for each word, the codes of the run it is in (runs are disjoint), or none.
      const coded: [Set<string>[], Set<string>[]] = [words.map(() => new Set()), words.map(() => new Set())];
      const runs: [[number, number, string[]][], [number, number, string[]][]] = [[], []];
      for (const c of [0, 1] as const) {
        let i = 0;
        while (i < words.length) {
          const codes = CODES.filter((code) => rnd() < rate(code));
          if (codes.length === 0) { i++; continue; }
          const end = Math.min(words.length, i + 1 + Math.floor(rnd() * 4));
          runs[c].push([i, end, codes]);
          for (let w = i; w < end; w++) for (const code of codes) coded[c][w].add(code);
          i = end + Math.floor(rnd() * 3);
        }
      }
      for (const c of [0, 1] as const) {
        let line = 'R: ';
        let w = 0;
        for (const [s, e, codes] of runs[c]) {
          line += words.slice(w, s).map((x) => `${x} `).join('');
          line += `${'{'.repeat(codes.length)}${words.slice(s, e).join(' ')}${codes.map((code) => `}#${code}`).join('')}`;
          w = e;
          if (w < words.length) line += ' ';
        }
        line += words.slice(w).join(' ');
        texts[c].push(line.trimEnd());
      }
      // The units: every character of `R: words…` and of the line breaks, every paragraph.
      for (const code of CODES) {
        const has = (c: 0 | 1, wi: number): boolean => coded[c][wi].has(code);
        const chars: [boolean, boolean][] = [];
        const plain = (n: number, a: boolean, b: boolean): void => { for (let k = 0; k < n; k++) chars.push([a, b]); };
        plain(3, false, false); // 'R: '
        words.forEach((word, wi) => {
          if (wi > 0) {
            // A space is coded when it lies inside a run: both words around it are in one run of the coder.
            const inside = (c: 0 | 1): boolean => has(c, wi - 1) && has(c, wi) && sameRun(runs[c], wi - 1, wi, code);
            plain(1, inside(0), inside(1));
          }
          plain([...word].length, has(0, wi), has(1, wi));
        });
        const a = words.some((_, wi) => has(0, wi));
        const b = words.some((_, wi) => has(1, wi));
        const seen = inTranscript.get(code) ?? [false, false];
        inTranscript.set(code, [seen[0] || a, seen[1] || b]);
        push('paragraph', code, a, b, paraAt);
        chars.forEach(([ca, cb], k) => push('character', code, ca, cb, charAt + k));
      }
      charAt += 3 + words.reduce((n, w, i) => n + [...w].length + (i > 0 ? 1 : 0), 0);
      paraAt++;
      // Line breaks: one after the paragraph, and a blank line between paragraphs.
      const breaks = p < paragraphs - 1 ? 2 : 1;
      for (const code of CODES) for (let k = 0; k < breaks; k++) push('character', code, false, false, charAt + k);
      charAt += breaks;
    }
    for (const code of CODES) push('transcript', code, inTranscript.get(code)![0], inTranscript.get(code)![1], t);
    files.set(`t${String(t).padStart(2, '0')}.transcript`, [`${texts[0].join('\n\n')}\n`, `${texts[1].join('\n\n')}\n`]);
  }
  return { files, units };
}

/** Whether words `i` and `j` of a paragraph are in one run of the coder that carries `code`. */
function sameRun(runs: [number, number, string[]][], i: number, j: number, code: string): boolean {
  return runs.some(([s, e, codes]) => codes.includes(code) && s <= i && j < e);
}

// Counts, kappa from the 2×2 table, alpha from the coincidence matrix; NA where a denominator is zero.
const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
figures <- function(name, t) {
  N <- sum(t)
  po <- (t[1, 1] + t[2, 2]) / N
  pe <- sum(rowSums(t) * colSums(t)) / N^2
  kappa <- if (pe == 1) NA else (po - pe) / (1 - pe)
  # The coincidence matrix of two coders: every unit adds its pair of values both ways.
  o <- t + t(t)
  n <- sum(o)
  nc <- rowSums(o)
  De <- (nc[1] * nc[2] + nc[2] * nc[1]) / (n - 1)
  Do <- o[1, 2] + o[2, 1]
  alpha <- if (De == 0) NA else 1 - Do / De
  cat(name, t[2, 2], t[2, 1], t[1, 2], t[1, 1], format(100 * po, digits = 17), format(kappa, digits = 17), format(alpha, digits = 17), "\\n")
}
all <- matrix(0, 2, 2)
for (code in sort(unique(d$code))) {
  x <- d[d$code == code, ]
  if (!any(x$a == 1 | x$b == 1)) next
  t <- table(factor(x$a, levels = 0:1), factor(x$b, levels = 0:1))
  all <- all + t
  figures(code, t)
}
# All codes together: the sums of the counts of the codes with a row.
figures("(overall)", all)
`;

interface Row { code: string; both: number; onlyA: number; onlyB: number; neither: number; percent: number | null; kappa: number | null; alpha: number | null }

function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) assert.equal(actual, null, what);
  else {
    assert.notEqual(actual, null, what);
    assert.ok(Math.abs(actual! - expected) <= 1e-9, `${what}: agree says ${actual}, R says ${expected}`);
  }
}

describe('agreement against R', () => {
  const seeds: [number, number][] = [[1, 3], [7, 12], [2026, 25], [42, 1]];
  for (const [seed, transcripts] of seeds) {
    test(`counts, kappa and alpha equal R's for ${transcripts} random transcript${transcripts === 1 ? '' : 's'} (seed ${seed}), in every unit`, () => {
      const version = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, 'Rscript is needed for this test: apt-get install r-base-core');
      const study = generate(seed, transcripts);
      const dir = mkdtempSync(path.join(tmpdir(), 'tc-agree-r-'));
      try {
        for (const [c, name] of [[0, 'a'], [1, 'b']] as const) {
          mkdirSync(path.join(dir, name));
          for (const [file, texts] of study.files) writeFileSync(path.join(dir, name, file), texts[c]);
        }
        for (const unit of UNITS) {
          const csv = path.join(dir, `${unit}.csv`);
          const lines = ['code,a,b'];
          for (const [code, list] of study.units[unit]) for (const [a, b] of list) lines.push(`${code},${a ? 1 : 0},${b ? 1 : 0}`);
          writeFileSync(csv, `${lines.join('\n')}\n`);
          const r = spawnSync('Rscript', ['-e', R_SCRIPT, csv], { encoding: 'utf8' });
          assert.equal(r.status, 0, r.stderr);
          const fromR = new Map(r.stdout.trim().split('\n').filter((l) => l.trim()).map((l) => {
            const [code, both, onlyA, onlyB, neither, percent, kappa, alpha] = l.trim().split(/\s+/);
            const num = (s: string): number | null => (s === 'NA' ? null : Number(s));
            return [code, { code, both: +both, onlyA: +onlyA, onlyB: +onlyB, neither: +neither, percent: num(percent), kappa: num(kappa), alpha: num(alpha) }];
          }));
          const out = run(['agree', path.join(dir, 'a'), path.join(dir, 'b'), '--unit', unit, '--format', 'json']);
          assert.equal(out.status, 0, out.stderr);
          const ours = JSON.parse(out.stdout) as { codes: Row[]; overall: Row; transcripts: { unalignedCharacters?: number }[] };
          assert.ok(ours.transcripts.every((t) => !t.unalignedCharacters), 'both copies have the same text without markup');
          const overall = fromR.get('(overall)')!;
          fromR.delete('(overall)');
          assert.deepEqual(ours.codes.map((c) => c.code), [...fromR.keys()].sort(), `${unit}: the codes with rows`);
          for (const row of [...ours.codes, { ...ours.overall, code: '(overall)' }]) {
            if (row.code === '(overall)') fromR.set('(overall)', overall);
            const expected = fromR.get(row.code)!;
            const what = `${unit} ${row.code}`;
            assert.deepEqual([row.both, row.onlyA, row.onlyB, row.neither], [expected.both, expected.onlyA, expected.onlyB, expected.neither], `${what}: counts`);
            close(row.percent, expected.percent, `${what} percent`);
            close(row.kappa, expected.kappa, `${what} kappa`);
            close(row.alpha, expected.alpha, `${what} alpha`);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
