// Bundles the entry points. Everything the product runs is bundled, so the
// .vsix and the CLI need no node_modules; only `vscode` is supplied by the editor.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
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
};

// dist/cli.js loads dist/server.js (for `lsp`) and dist/cliCommands.js (`export`, `import`) only when
// those commands run, so that the others start faster (see loadPart in cli.ts). The commands' bundle
// uses the running CLI's own module, left to Node as `./cli.js` beside it, rather than a copy of it:
// the CLI recognises the errors it throws by their class.
const runningCli = {
  name: 'running-cli',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli$/ }, () => ({ path: './cli.js', external: true }));
  },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cliCommands.ts'], outfile: 'dist/cliCommands.js', plugins: [runningCli] },
];

const { existsSync } = await import('node:fs');
const present = entries.filter((e) => existsSync(e.entryPoints[0]));

if (watch) {
  for (const e of present) (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(present.map((e) => esbuild.build({ ...common, ...e })));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
