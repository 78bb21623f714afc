// Bundles the entry points. Everything the product runs is bundled, so the
// .vsix and the CLI need no node_modules; only `vscode` is supplied by the editor.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
  // jsonc-parser's default (UMD) build hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  // The version every bundle reports (`--version`, the origin of exported files): see server/src/version.ts.
  define: { TRANSCRIPT_CODER_VERSION: JSON.stringify(version) },
};

// dist/cli.js loads dist/server.js (for `lsp`) and dist/cliCommands.js (`export`, `import`) from beside
// it only when those commands run, so that the others start faster (see loadPart in server/src/cli/main.ts).
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cli/interop.ts'], outfile: 'dist/cliCommands.js' },
];

const present = entries.filter((e) => existsSync(e.entryPoints[0]));

if (watch) {
  for (const e of present) (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(present.map((e) => esbuild.build({ ...common, ...e })));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
