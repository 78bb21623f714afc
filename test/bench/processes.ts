/** Whole-process timings: wall clock, and CPU time and peak memory where GNU time is installed. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProcessTiming {
  wallMs: number;
  /** User + system CPU time (null without GNU time). */
  cpuMs: number | null;
  maxRssMb: number | null;
  status: number | null;
  /** Whether the run was stopped for taking longer than the time allowed it. */
  timedOut: boolean;
}

const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%U', 'true'], { stdio: 'ignore' }).status === 0;
const TIMEOUT = '/usr/bin/timeout';
const hasTimeout = existsSync(TIMEOUT);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tc-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** Runs `command args` to completion (or for `timeoutMs` at most) with its output sent to /dev/null. */
export function timeProcess(command: string, args: string[], cwd?: string, timeoutMs?: number): ProcessTiming {
  const devnull = openSync('/dev/null', 'w');
  const report = path.join(scratch, 'time.txt');
  // A time limit is kept by coreutils' timeout, inside GNU time, so that the program itself is stopped.
  const limited: [string, string[]] = timeoutMs !== undefined && hasTimeout
    ? [TIMEOUT, ['-s', 'KILL', String(Math.ceil(timeoutMs / 1000)), command, ...args]] : [command, args];
  const [cmd, argv] = hasGnuTime ? [GNU_TIME, ['-f', '%U %S %M', '-o', report, ...limited.flat()]] : limited;
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', devnull, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    if (r.error) throw r.error;
    // timeout exits with 128 + 9 when it had to kill the program.
    const timedOut = timeoutMs !== undefined && hasTimeout && r.status === 137 && wallMs >= timeoutMs - 1000;
    let cpuMs: number | null = null;
    let maxRssMb: number | null = null;
    if (hasGnuTime) {
      // GNU time writes "Command exited with non-zero status N" before the figures.
      const last = readFileSync(report, 'utf8').trim().split('\n').pop() ?? '';
      const [u, s, m] = last.split(' ').map(Number);
      if (Number.isFinite(u) && Number.isFinite(s)) cpuMs = (u + s) * 1000;
      if (Number.isFinite(m)) maxRssMb = m / 1024;
    }
    return { wallMs, cpuMs, maxRssMb, status: r.status, timedOut };
  } finally {
    closeSync(devnull);
  }
}

export { hasGnuTime };
