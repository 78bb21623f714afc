/**
 * What the VS Code extension ships: dist/client.js, as `npm run build` made it, read through its
 * source map. The extension asks the language server for everything, so its bundle holds its own
 * code, the protocol module and vscode-languageclient with that package's own dependencies — no
 * server code, and none of the server's parsers (YAML, zip, XML), which would make the extension
 * slower to load and able to disagree with the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const bundle = join(root, 'dist', 'client.js');
/** vscode-languageclient/node alone bundles to about 0.96 MB; the extension's own code is small. */
const MAX_BYTES = 1_100_000;

/** The files the bundle was made of, relative to the repository (`node_modules/…` for packages). */
function bundledSources(): string[] {
  assert.ok(existsSync(`${bundle}.map`), 'dist/client.js.map is missing: run `npm run build` first');
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  return map.sources.map((s) => {
    const abs = resolve(dirname(bundle), s);
    const inModules = abs.lastIndexOf('/node_modules/');
    return inModules >= 0 ? abs.slice(inModules + 1) : abs.slice(root.length + 1);
  });
}

/** `node_modules/@scope/name/lib/x.js` → `@scope/name`. */
function packageOf(source: string): string | undefined {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
  return m?.[1];
}

/** A package and everything it depends on, as installed (nested node_modules first, as Node resolves). */
function dependencyClosure(name: string): Set<string> {
  const out = new Set<string>();
  const visit = (pkg: string, from: string) => {
    let dir = from;
    let manifest: string | undefined;
    for (;;) {
      const candidate = join(dir, 'node_modules', pkg, 'package.json');
      if (existsSync(candidate)) { manifest = candidate; break; }
      if (dir === root || dir === dirname(dir)) break;
      dir = dirname(dir);
    }
    if (!manifest || out.has(pkg)) return;
    out.add(pkg);
    const deps = (JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
    for (const dep of Object.keys(deps)) visit(dep, dirname(manifest));
  };
  visit(name, root);
  return out;
}

test('the extension bundle takes nothing from the server but the protocol module', () => {
  const fromServer = bundledSources().filter((s) => s.startsWith('server/'));
  assert.deepEqual(fromServer, ['server/src/protocol.ts']);
});

test('the extension bundle carries no YAML, zip or XML library', () => {
  const packages = new Set(bundledSources().map(packageOf).filter((p) => p !== undefined));
  for (const parser of ['yaml', 'fflate', 'fast-xml-parser']) assert.ok(!packages.has(parser), `${parser} is bundled into dist/client.js`);
});

test('the extension bundle holds only its own code and vscode-languageclient with its dependencies', () => {
  const allowed = dependencyClosure('vscode-languageclient');
  const sources = bundledSources();
  const strangers = sources.filter((s) => {
    const pkg = packageOf(s);
    return pkg ? !allowed.has(pkg) : !(s.startsWith('client/src/') || s === 'server/src/protocol.ts');
  });
  assert.deepEqual(strangers, []);
  assert.ok(sources.some((s) => s.startsWith('client/src/')), 'the extension\'s own code is in the bundle');
});

test('the extension bundle stays under 1.1 MB', (t) => {
  const size = statSync(bundle).size;
  t.diagnostic(`dist/client.js: ${size.toLocaleString('en')} bytes`);
  assert.ok(size < MAX_BYTES, `dist/client.js is ${size.toLocaleString('en')} bytes, over ${MAX_BYTES.toLocaleString('en')}`);
});
