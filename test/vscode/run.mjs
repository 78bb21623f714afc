#!/usr/bin/env node
// Runs the extension-host test suite (test/vscode/suite) inside real VS Code.
//
//   node test/vscode/run.mjs              code-server 4.100.3 + headless Chromium (works offline)
//   node test/vscode/run.mjs --electron   desktop VS Code through @vscode/test-electron (downloads VS Code)
//   --vsix FILE                           test the packaged extension (FILE unpacked) instead of this folder
//   --grep TEXT                           only the tests whose title contains TEXT
//
// Prints each test's outcome and a closing "N passed, N failed" line; exits 1 when any test failed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import * as esbuild from 'esbuild';
import { ensureCodeServer, launchChromium, root, startCodeServer, workbenchUrl } from './codeServer.mjs';

const args = process.argv.slice(2);
const electron = args.includes('--electron');
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : '';
const vsixAt = args.indexOf('--vsix');
const vsix = vsixAt >= 0 ? args[vsixAt + 1] : undefined;
const TIMEOUT_MS = 10 * 60_000;

/** Builds the extension (dist/) and the suite (test/.generated/vscode/). */
export async function buildAll() {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
  const outdir = join(root, 'test', '.generated', 'vscode');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(root, 'test', 'vscode', 'suite', '*.ts')],
    outdir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline',
    // `vscode` is the editor's own module; mocha is loaded from node_modules by the index.
    external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}

/** A fresh copy of the fixture study: the tests edit and write files in it. */
function fixtureCopy(tmp) {
  const folder = join(tmp, 'study');
  cpSync(join(root, 'test', 'vscode', 'fixture-study'), folder, { recursive: true });
  return folder;
}

/** Unpacks a .vsix (a zip whose extension/ folder is the installed extension) and returns that folder. */
export function unpackVsix(file, tmp) {
  const entries = unzipSync(new Uint8Array(readFileSync(resolve(file))));
  const dir = join(tmp, 'vsix');
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  return join(dir, 'extension');
}

function waitForFile(file, ms, alive) {
  return new Promise((resolve, reject) => {
    const dir = join(file, '..');
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      clearInterval(liveness);
      if (err) reject(err); else resolve();
    };
    // The results file is written once, whole, when the suite ends.
    const watcher = watch(dir, () => { if (existsSync(file)) finish(); });
    const timer = setTimeout(() => finish(new Error(`no test results after ${ms / 1000} s`)), ms);
    const liveness = setInterval(() => { const why = alive(); if (why) finish(new Error(why)); }, 1000);
    if (existsSync(file)) finish();
  });
}

function report(results) {
  let passed = 0;
  let failed = 0;
  let pending = 0;
  for (const o of results.outcomes ?? []) {
    if (o.state === 'passed') { passed++; console.log(`  ✔ ${o.title} (${o.duration} ms)`); }
    else if (o.state === 'pending') { pending++; console.log(`  - ${o.title}`); }
    else { failed++; console.log(`  ✘ ${o.title}\n${String(o.error).split('\n').map((l) => `      ${l}`).join('\n')}`); }
  }
  if (results.error && failed === 0) {
    failed = 1;
    console.log(`  ✘ the suite could not run\n      ${results.error}`);
  }
  console.log(`\n${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  return failed;
}

async function runInCodeServer(testsIndex, tmp) {
  ensureCodeServer();
  const folder = fixtureCopy(tmp);
  const resultsFile = join(tmp, 'results.json');
  const logFile = join(tmp, 'code-server.log');
  let log = '';
  const server = await startCodeServer({
    folder,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir: join(tmp, 'extensions'),
    env: { TRANSCRIPT_CODER_TEST_RESULTS: resultsFile, TRANSCRIPT_CODER_TEST_GREP: grep },
    log: (s) => { log += s; },
  });
  const browser = await launchChromium();
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const extensionPath = vsix ? unpackVsix(vsix, tmp) : root;
    await page.goto(workbenchUrl(server.port, folder, { testsIndex, extensionPath }));
    await waitForFile(resultsFile, TIMEOUT_MS, () => (server.proc.exitCode !== null ? 'code-server stopped' : ''));
    return JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch (err) {
    writeFileSync(logFile, `${log}\n--- page errors ---\n${pageErrors.join('\n')}`);
    throw new Error(`${err.message} (code-server's log: ${logFile})`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function runInElectron(testsIndex, tmp) {
  const { runTests } = await import('@vscode/test-electron');
  const folder = fixtureCopy(tmp);
  const resultsFile = join(tmp, 'results.json');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: testsIndex,
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(tmp, 'user-data')],
      extensionTestsEnv: { TRANSCRIPT_CODER_TEST_RESULTS: resultsFile, TRANSCRIPT_CODER_TEST_GREP: grep },
    });
  } catch (err) {
    if (!existsSync(resultsFile)) throw err;
  }
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

async function main() {
  const testsIndex = await buildAll();
  const tmp = mkdtempSync(join(tmpdir(), 'transcript-coder-vscode-'));
  let failed = 1;
  try {
    const started = Date.now();
    const results = electron ? await runInElectron(testsIndex, tmp) : await runInCodeServer(testsIndex, tmp);
    console.log(`Extension-host tests in ${electron ? 'VS Code (Electron)' : 'code-server'}${vsix ? ` on ${vsix}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s):`);
    failed = report(results);
    if (failed === 0) rmSync(tmp, { recursive: true, force: true });
    else console.log(`(The study the tests ran on is kept in ${join(tmp, 'study')}.)`);
  } catch (err) {
    console.error(`test:vscode: ${err.message}`);
    console.log('\n0 passed, 1 failed');
  }
  process.exit(failed > 0 ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
