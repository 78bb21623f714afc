/**
 * Entry point of the extension-host tests (`extensionTestsPath`): runs the
 * mocha suites of this folder inside VS Code and writes the results to the
 * file named by TRANSCRIPT_CODER_TEST_RESULTS, which the runner waits for.
 */
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  duration?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.TRANSCRIPT_CODER_TEST_RESULTS;
  const outcomes: Outcome[] = [];
  const write = (extra: Record<string, unknown>) => {
    if (!resultsFile) return;
    // Written aside and renamed, so the runner never reads half a file.
    writeFileSync(`${resultsFile}.tmp`, JSON.stringify({ outcomes, ...extra }, null, 2));
    renameSync(`${resultsFile}.tmp`, resultsFile);
  };
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.TRANSCRIPT_CODER_TEST_GREP || undefined });
    for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.spec.js')).sort()) mocha.addFile(path.join(__dirname, f));
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }));
      runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', duration: t.duration, error: err?.stack ?? String(err) }));
      runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
    });
    write({ failures });
    if (failures > 0) throw new Error(`${failures} test${failures === 1 ? '' : 's'} failed.`);
  } catch (err) {
    if (!outcomes.some((o) => o.state === 'failed')) write({ failures: 1, error: err instanceof Error ? err.stack : String(err) });
    throw err;
  }
}
