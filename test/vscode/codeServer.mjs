// Real VS Code for tests on machines without a VS Code download: code-server 4.100.3
// (VS Code 1.100.3, the last line that runs on Node 20) installed from the npm registry
// into .vscode-test/, started on a loopback port, driven by headless Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const root = resolve(import.meta.dirname, '..', '..');
export const cacheDir = join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const bin = join(cacheDir, 'node_modules', '.bin', 'code-server');
const vscodeDir = join(cacheDir, 'node_modules', 'code-server', 'lib', 'vscode');
const marker = join(cacheDir, '.installed');

function sh(cmd, args, cwd, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status})`);
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
}

/** Installs code-server once (about a minute with a warm npm cache); later calls return at once. */
export function ensureCodeServer() {
  if (existsSync(marker) && existsSync(bin)) return bin;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is missing: run .ci/install-clients.sh first.');
  console.log(`Installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} …`);
  mkdirSync(cacheDir, { recursive: true });
  // Its own install scripts download release assets; the steps below replace them with local builds.
  sh('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', cacheDir, `code-server@${CODE_SERVER_VERSION}`], root);
  sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscodeDir);
  const rgBin = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  copyFileSync(rg, join(rgBin, 'rg'));
  sh('npm', ['rebuild'], vscodeDir, { npm_config_yes: 'true' });
  const asar = join(vscodeDir, 'node_modules.asar');
  if (existsSync(asar) || isLink(asar)) rmSync(asar, { recursive: true, force: true });
  symlinkSync('node_modules', asar);
  sh('npm', ['rebuild', 'argon2'], cacheDir);
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: cacheDir } });
  if (!v.stdout.includes(CODE_SERVER_VERSION)) throw new Error(`code-server did not start: ${v.stdout}${v.stderr}`);
  writeFileSync(marker, `${v.stdout.trim()}\n`);
  console.log(v.stdout.trim().split('\n')[0]);
  return bin;
}

function isLink(p) {
  try { return lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts code-server on `folder` with a fresh user-data dir; resolves when it listens.
 * `env` reaches the extension host (it inherits code-server's environment).
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, env = {}, log, settings = {} }) {
  const port = await freePort();
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // Its own config file, so nothing is read from or written to the user's ~/.config.
  const config = join(userDataDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  // VS Code in a browser saves after a delay by default; the tests need edits to stay unsaved until reverted.
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'files.autoSave': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    ...settings,
  }, null, 2));
  const proc = spawn(bin, [
    '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, folder,
  ], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const onData = (d) => { output += d; log?.(String(d)); };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => { if (output.includes('HTTP server listening')) { clearTimeout(timer); res(); } };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`code-server exited (${code}):\n${output}`)); });
  });
  const stop = () => new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return res();
    proc.once('exit', () => res());
    // code-server starts child processes (extension host, language server): end its process group, which we created.
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ }
    setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000).unref();
  });
  return { port, proc, stop, output: () => output };
}

/** The URL that opens `folder` in VS Code with this extension under development, running `testsIndex` if given. */
export function workbenchUrl(port, folder, { extensionPath = root, testsIndex } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)], ['skipWelcome', 'true']];
  if (testsIndex) payload.push(['extensionTestsPath', remote(testsIndex)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: which('chromium') || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
