/**
 * The language server as Neovim sees it (`npm run test:nvim`, not part of `npm test`):
 * starts headless Neovim on a copy of the fixture study with test/nvim/test.lua, then
 * checks what the script observed. Needs `nvim` (Debian: `apt-get install -y neovim`)
 * and a built dist/server.js (the npm script builds first).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const TIMEOUT_MS = 60_000;

function fail(message: string): never {
  console.error(`test:nvim: ${message}`);
  process.exit(1);
}

interface Observed {
  steps: string[];
  error?: string;
  diagnostic: { code: string; source: string; line: number; text: string; message: string; count: number };
  hover: string | null;
  code_selection: { candidates: string[]; applied: boolean; buffer: string };
  privacy: { text: string; message: string; dry_run: string | null; summary: string | null; line: string };
  mark_question: { titles: string[]; edit: { range: { start: { line: number; character: number } }; newText: string } | null; line: number };
  completion: string[];
  exit_code: number | null;
}

async function main(): Promise<void> {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) fail('Neovim (nvim) is not installed or does not run. Install it, e.g. `apt-get install -y neovim`.');
  if (!existsSync(SERVER)) fail(`${SERVER} is missing: run \`npm run build\` first.`);
  console.log(`test:nvim: ${version.stdout.split('\n')[0].trim()}`);

  const work = mkdtempSync(path.join(tmpdir(), 'tc-nvim-'));
  const study = path.join(work, 'study');
  cpSync(path.join(ROOT, 'test', 'fixtures', 'lsp-study'), study, { recursive: true });
  const resultFile = path.join(work, 'result.json');
  const original = readFileSync(path.join(study, 'sw01.transcript'), 'utf8');
  // A names list at the study's root: `Zoë` stands in sw01's text.
  writeFileSync(path.join(study, 'names.private.yaml'), 'Zoë: Ann\n');

  const nvim = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${path.join(ROOT, 'test', 'nvim', 'test.lua')}`], {
    cwd: study,
    env: { ...process.env, TC_STUDY: study, TC_SERVER: SERVER, TC_NODE: process.execPath, TC_RESULT: resultFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nvim.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const timer = setTimeout(() => {
    console.error(`test:nvim: Neovim did not finish within ${TIMEOUT_MS / 1000} s`);
    nvim.kill('SIGKILL');
  }, TIMEOUT_MS);
  const status = await new Promise<number | string | null>((resolve) => nvim.on('exit', (code, signal) => resolve(code ?? signal)));
  clearTimeout(timer);

  try {
    if (!existsSync(resultFile)) fail(`Neovim ended (${status}) without writing a result.\n${stderr}`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as Observed;
    if (result.error) fail(`the Neovim script failed after steps [${result.steps.join(', ')}]: ${result.error}\n${stderr}`);
    assert.equal(status, 0, `Neovim ended with status ${status}\n${stderr}`);

    // Neovim turned the server's UTF-16 range into byte columns: the text under it must be
    // the code, although `é` and an emoji stand before it on the line.
    assert.equal(result.diagnostic.text, '#benefits', 'the unknown-code diagnostic covers exactly `#benefits`');
    assert.equal(result.diagnostic.source, 'transcript-coder');
    assert.match(result.diagnostic.message, /#benefits/);
    assert.equal(result.diagnostic.count, 4, 'three problems of the study and the listed name');
    assert.match(String(result.hover), /What is your job title, and how long have you been in post\?/, 'hover on @job-title shows the question');
    // Code Selection through the server command: Neovim applied the server's edit; the buffer, and the
    // file Neovim then wrote, hold exactly `{` and `}#risk` more, byte for byte.
    const coded = original.replace('then the house', '{then the house}#risk');
    assert.deepEqual(result.code_selection.candidates, ['risk', 'benefit/child', 'benefit/family', 'benefit'], 'the codes offered, linked one first');
    assert.equal(result.code_selection.applied, true, 'the server reports the edit applied');
    assert.equal(result.code_selection.buffer, coded, 'the buffer after Code Selection');
    assert.ok(readFileSync(path.join(study, 'sw01.transcript')).equals(Buffer.from(coded, 'utf8')), 'the file written after Code Selection');
    // The names list: the warning stands on exactly `Zoë` (its `ë` one UTF-16 unit, two bytes), and the server
    // command replaced it in the open buffer, leaving the span and its code.
    assert.equal(result.privacy.text, 'Zoë');
    assert.equal(result.privacy.message, "'Zoë' is on the names list: replace it with the pseudonym 'Ann'.");
    assert.match(String(result.privacy.dry_run), /^Would replace 1 name in 1 transcript\./);
    assert.match(String(result.privacy.summary), /^Replaced 1 name in 1 transcript\./);
    assert.equal(result.privacy.line, 'R: Senior practitioner. {Ann says the visits help her family}#benefit/family');
    // "Mark as question …": three candidates, the turn's own question first, inserting only `@worth-it `.
    assert.equal(result.mark_question.titles.length, 3, result.mark_question.titles.join(' | '));
    assert.equal(result.mark_question.titles[0], 'Mark as question worth-it: Looking back, was the visit worth it?');
    assert.deepEqual(result.mark_question.edit, {
      range: { start: { line: result.mark_question.line, character: 3 }, end: { line: result.mark_question.line, character: 3 } },
      newText: '@worth-it ',
    });
    assert.ok(result.completion.includes('benefit/family'), `completion after # offers codes: ${result.completion.join(', ')}`);
    assert.equal(result.exit_code, 0, 'the server ended with status 0 after shutdown and exit');
    console.log('test:nvim: diagnostics on the right characters, hover, Code Selection through the server command, a listed name found and pseudonymised, "Mark as question", completion and a clean exit, all seen from Neovim.');
  } catch (err) {
    console.error(`test:nvim: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
