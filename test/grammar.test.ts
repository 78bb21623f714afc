// The TextMate grammar and language configuration of the `transcript` language (SPEC §4, §7).
// The grammar tests themselves are the assertion files in test/grammar/*.test.transcript, run by
// vscode-tmgrammar-test; this file runs that tool and checks the language configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const grammarPath = path.join(root, 'syntaxes', 'transcript.tmLanguage.json');
const configPath = path.join(root, 'syntaxes', 'language-configuration.json');

/** The unit-test CLI of vscode-tmgrammar-test, found through its package.json `bin`. */
function toolCli(): string {
  const req = createRequire(path.join(root, 'package.json'));
  const pkgPath = req.resolve('vscode-tmgrammar-test/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> };
  return path.join(path.dirname(pkgPath), pkg.bin['vscode-tmgrammar-test']);
}

/** Runs the tool on a glob (relative to `cwd`, forward slashes) and returns its status and output. */
function runTool(glob: string, cwd = root): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [toolCli(), '--grammar', grammarPath, glob], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test('the grammar passes every assertion in test/grammar/*.test.transcript', () => {
  const files = fs.readdirSync(path.join(root, 'test', 'grammar')).filter((f) => f.endsWith('.test.transcript'));
  assert.ok(files.length >= 1, 'no grammar test files found');
  const { status, output } = runTool('test/grammar/*.test.transcript');
  assert.equal(status, 0, `vscode-tmgrammar-test failed:\n${output}`);
  for (const f of files) assert.match(output, new RegExp(`✓ test/grammar/${f.replace(/\./g, '\\.')}`), `${f} was not run:\n${output}`);
});

test('a wrong assertion makes the grammar test fail (the harness can fail)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transcript-grammar-'));
  try {
    fs.writeFileSync(path.join(dir, 'wrong.test.transcript'), [
      '// SYNTAX TEST "source.transcript" "negative control"',
      'R: C# is no code',
      '//  ^ entity.name.type.code.transcript',
      '',
    ].join('\n'));
    const { status, output } = runTool('*.test.transcript', dir);
    assert.notEqual(status, 0, `expected a failure:\n${output}`);
    assert.match(output, /missing required scopes: entity\.name\.type\.code\.transcript/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the grammar file names its scope and every repository rule it includes exists', () => {
  const grammar = JSON.parse(fs.readFileSync(grammarPath, 'utf8')) as { scopeName: string; repository: Record<string, unknown> };
  assert.equal(grammar.scopeName, 'source.transcript');
  const includes = [...JSON.stringify(grammar).matchAll(/"include":"#([^"]+)"/g)].map((m) => m[1]);
  assert.ok(includes.length > 0);
  for (const name of includes) assert.ok(name in grammar.repository, `#${name} is included but not defined`);
});

interface LanguageConfiguration {
  comments: { lineComment?: string; blockComment: [string, string] };
  brackets: [string, string][];
  colorizedBracketPairs: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: { pattern: string; flags: string };
}

const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as LanguageConfiguration;

/** The words VS Code sees in a line: it adds the `g` flag and keeps `u` (ensureValidWordDefinition). */
function words(line: string): string[] {
  const re = new RegExp(config.wordPattern.pattern, `g${config.wordPattern.flags}`);
  return [...line.matchAll(re)].map((m) => m[0]);
}

test('language configuration: block comments %% %%, no line comments, brackets and pairs', () => {
  assert.deepEqual(config.comments, { blockComment: ['%%', '%%'] });
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  // Only span braces get bracket-pair colours; parentheses and [conventions] in speech stay plain.
  assert.deepEqual(config.colorizedBracketPairs, [['{', '}']]);
  assert.deepEqual(config.autoClosingPairs.map((p) => p.open + p.close), ['{}', '[]', '()']);
  assert.ok(config.surroundingPairs.some(([o, c]) => o === '{' && c === '}'));
  assert.ok(!config.autoClosingPairs.some((p) => p.open.includes('%')), '%% is no auto-closing pair');
});

test('language configuration: the word pattern keeps markers and codes whole', () => {
  assert.deepEqual(
    words('I: @Q3.2 and @whose-idea. {It was}#benefit/family #la-lawyer, (#a) C# x@y.org'),
    ['I', '@Q3.2', 'and', '@whose-idea', 'It', 'was', '#benefit/family', '#la-lawyer', '#a', 'C', 'x', 'y', 'org'],
  );
  assert.deepEqual(words("Ärztin: I don't know, über-careful Wohnsituation_2"), ['Ärztin', 'I', "don't", 'know', 'über-careful', 'Wohnsituation_2']);
  // A sigil on its own is a word, so completion after typing `#` or `@` replaces it.
  assert.deepEqual(words('# @'), ['#', '@']);
  assert.equal(new RegExp(config.wordPattern.pattern, config.wordPattern.flags).test(''), false, 'must not match the empty string');
});
