/**
 * The user guide (docs/*.md) and README.md show researchers how to write their files, so every
 * example in them goes through the real parsers and the real study checks: an example that the
 * product would flag, and does not say so, is a wrong example.
 *
 * The convention, which docs/README.md states for the pages' authors:
 * - Every fenced `yaml` block is a whole guide (a whole codebook when it has a top-level `codes:`),
 *   every `text` block a whole transcript.
 * - An HTML comment on the line right before a block says what the block is checked with, as
 *   `key: value` parts separated by `;`, e.g. `<!-- study: lawyers; expect: unknown-code -->`:
 *   - `study: NAME` — checked as one study with the page's other blocks of that study name;
 *     without it, a block is a study on its own.
 *   - `file: NAME` — the block's file name (it decides which blocks come first where path order
 *     counts); `.vscode/settings.json` on a `json` block makes it that study's settings.
 *   - `expect: CODE, CODE` — the problems the block must produce: exactly these, each as often as
 *     listed, and with the severity given where one is (`deprecated-code (information)`). Without it
 *     the block must produce no problem at all.
 *   - `coverage: ASKED/EXPECTED` — a transcript's coverage.
 *   - `report: NAME` on a `markdown` block — every line of the block is a line of that study's
 *     Markdown coverage report.
 * - A study with no guide of its own is checked against the guide of examples/ppp-study, one with
 *   no codebook against its codebook. A transcript checked against the example guide is an excerpt
 *   of an interview, so the questions it never reaches are not reported: it is checked with
 *   `unasked-question` and `missing-section` turned off, as the severity setting does, whatever its
 *   study's settings say.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { listFiles, PackageManager } from '@vscode/vsce';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { coverageReport, transcriptCoverage } from '../server/src/core/coverage';
import { diagnose, type Diagnostic } from '../server/src/core/diagnostics';
import type { PrivacyRules } from '../server/src/core/privacy/scan';
import { NAMES_FILE, namesFromSource } from '../server/src/host/names';
import { ALL_DIAGNOSTIC_CODES, FILE_CODES, isDiagnosticCode, type SeverityOverrides } from '../server/src/core/diagnosticCodes';
import { fileKind } from '../server/src/core/ids';
import type { TranscriptModel } from '../server/src/core/model';
import { coverageMarkdown } from '../server/src/core/render/coverageReport';
import { Study } from '../server/src/core/study';
import { settingsFrom, settingsProblems } from '../server/src/host/settings';

const root = resolve(__dirname, '..');
const EXAMPLE_GUIDE = 'examples/ppp-study/ppp-general.guide.yaml';
const EXAMPLE_CODEBOOK = 'examples/ppp-study/themes.codebook.yaml';
const SETTINGS_FILE = '.vscode/settings.json';
/** What an excerpt checked against the example guide is spared: the questions it never reaches. */
const EXCERPT: SeverityOverrides = { 'unasked-question': 'off', 'missing-section': 'off' };

const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
];

// ---------------------------------------------------------------- reading the pages

interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  /** The `key: value` parts of the comment right before the block. */
  notes: Map<string, string>;
}

const KEYS = new Set(['study', 'file', 'expect', 'coverage', 'report']);

/** Every fenced block of a Markdown page, with the notes of the HTML comment right before it. */
function blocksOf(page: string): Block[] {
  const lines = read(page).split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
      if (close.test(lines[j])) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    const notes = new Map<string, string>();
    const comment = /^\s*<!--(.*)-->\s*$/.exec(lines[i - 1] ?? '');
    if (comment) {
      for (const part of comment[1].split(';')) {
        if (part.trim() === '') continue;
        const kv = /^\s*([\w-]+)\s*:\s*(.*?)\s*$/.exec(part);
        assert.ok(kv && KEYS.has(kv[1]), `${page}:${i}: '${part.trim()}' is not one of the notes a block may carry (${[...KEYS].join(', ')})`);
        notes.set(kv[1], kv[2]);
      }
    }
    blocks.push({ page, line: i + 1, lang: lang.toLowerCase(), text: body.join('\n') + '\n', notes });
    i = j;
  }
  return blocks;
}

/** Where a block stands, for test names and messages. */
const where = (b: Block): string => `${b.page}:${b.line}`;

/** The blocks that are study files or settings, with their file names. */
interface Snippet extends Block {
  file: string;
  kind: 'guide' | 'codebook' | 'transcript' | 'settings' | 'names';
}

function snippetOf(b: Block): Snippet | undefined {
  const named = b.notes.get('file');
  const base = b.page.replace(/^docs\//, '').replace(/\.md$/, '').toLowerCase();
  if (b.lang === 'yaml' && named === NAMES_FILE) return { ...b, file: named, kind: 'names' };
  if (b.lang === 'yaml') {
    const file = named ?? `${base}-${b.line}.${/^codes\s*:/m.test(b.text) ? 'codebook' : 'guide'}.yaml`;
    const kind = fileKind(file);
    assert.ok(kind === 'guide' || kind === 'codebook', `${where(b)}: a yaml block is a guide or a codebook, so its file name ends .guide.yaml or .codebook.yaml, not '${file}'`);
    return { ...b, file, kind };
  }
  if (b.lang === 'text') {
    const file = named ?? `${base}-${b.line}.transcript`;
    assert.equal(fileKind(file), 'transcript', `${where(b)}: a text block is a transcript, so its file name ends .transcript, not '${file}'`);
    return { ...b, file, kind: 'transcript' };
  }
  if (b.lang === 'json' && named === SETTINGS_FILE) return { ...b, file: named, kind: 'settings' };
  return undefined;
}

// ---------------------------------------------------------------- studies

interface DocStudy {
  study: Study;
  severity: SeverityOverrides;
  snippets: Snippet[];
}

/** The studies of one page: blocks grouped by `study:`, completed with the example study's guide and codebook. */
function studiesOf(snippets: Snippet[]): Map<string, DocStudy> {
  const groups = new Map<string, Snippet[]>();
  for (const s of snippets) {
    const key = s.notes.get('study') ?? `line ${s.line}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out = new Map<string, DocStudy>();
  for (const [key, group] of groups) {
    const files: { uri: string; path: string; text: string }[] = [];
    let severity: SeverityOverrides = {};
    let privacy: PrivacyRules | undefined;
    for (const s of group) {
      assert.ok(!files.some((f) => f.path === s.file), `${where(s)}: the study '${key}' already has a file '${s.file}'`);
      if (s.kind === 'settings') {
        const errors: ParseError[] = [];
        const value = parseJsonc(s.text, errors, { allowTrailingComma: true }) as unknown;
        assert.deepEqual(errors, [], `${where(s)}: the settings are not valid JSON`);
        assert.deepEqual(settingsProblems(value, SETTINGS_FILE), [], `${where(s)}: the settings cannot be used`);
        severity = settingsFrom(value).severity ?? {};
        continue;
      }
      if (s.kind === 'names') {
        const names = namesFromSource({ kind: 'text', text: s.text, where: NAMES_FILE, inStudy: NAMES_FILE });
        assert.deepEqual(names.problems.map((p) => p.message), [], `${where(s)}: the names list cannot be used`);
        privacy = names.rules;
        continue;
      }
      files.push({ uri: s.file, path: s.file, text: s.text });
    }
    const own = group.filter((s) => s.kind !== 'settings' && s.kind !== 'names');
    const excerpt = !own.some((s) => s.kind === 'guide');
    if (excerpt) files.push({ uri: EXAMPLE_GUIDE, path: EXAMPLE_GUIDE, text: read(EXAMPLE_GUIDE) });
    if (!own.some((s) => s.kind === 'codebook')) files.push({ uri: EXAMPLE_CODEBOOK, path: EXAMPLE_CODEBOOK, text: read(EXAMPLE_CODEBOOK) });
    out.set(key, { study: Study.fromFiles(files, privacy), severity: excerpt ? { ...severity, ...EXCERPT } : severity, snippets: group });
  }
  return out;
}

/** A diagnostic as a person reads it in the Problems panel or in `check`'s output. */
function shown(d: { range: { start: { line: number; character: number } }; severity: string; code: string; message: string }): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code}: ${d.message}`;
}

/** The problems a block expects: `a, b (information)` → ['a', 'b (information)'], sorted; nothing → []. */
function expectedProblems(notes: Map<string, string>, at: string): string[] {
  const list = (notes.get('expect') ?? '').split(',').map((s) => s.trim().replace(/\s+/g, ' ')).filter((s) => s !== '');
  for (const item of list) {
    const m = /^([\w-]+)(?: \((\w+)\))?$/.exec(item);
    assert.ok(m && isDiagnosticCode(m[1]), `${at}: '${item}' is no problem code`);
    assert.ok(m[2] === undefined || ['error', 'warning', 'information', 'hint'].includes(m[2]), `${at}: '${m[2]}' is no severity`);
  }
  return list.sort();
}

/** The problems found, written as the expectation writes them: with the severity where it names one for that code. */
function foundProblems(found: Diagnostic[], expected: string[]): string[] {
  const withSeverity = new Set(expected.filter((e) => e.includes(' (')).map((e) => e.split(' ')[0]));
  return found.map((d) => (withSeverity.has(d.code) ? `${d.code} (${d.severity})` : d.code)).sort();
}

const codeOf = (item: string): string => item.split(' ')[0];

// ---------------------------------------------------------------- the checks

const allBlocks = pages.flatMap(blocksOf);
const allSnippets: Snippet[] = [];
const expectedInProblems = new Set<string>();

for (const page of pages) {
  const blocks = allBlocks.filter((b) => b.page === page);
  const snippets = blocks.map(snippetOf).filter((s): s is Snippet => s !== undefined);
  allSnippets.push(...snippets);
  const studies = studiesOf(snippets);
  const reports = blocks.filter((b) => b.notes.has('report'));

  describe(page, () => {
    for (const b of blocks) {
      if (b.notes.size === 0 || snippets.some((s) => s.line === b.line) || b.notes.has('report')) continue;
      it(`line ${b.line}: its notes belong to a block that is checked`, () => {
        assert.fail(`${where(b)}: a \`${b.lang}\` block is not checked, so its notes (${[...b.notes.keys()].join(', ')}) would be ignored`);
      });
    }

    for (const [name, ds] of studies) {
      for (const s of ds.snippets) {
        if (s.kind === 'settings' || s.kind === 'names') continue;
        const expected = expectedProblems(s.notes, where(s));
        if (page === 'docs/problems.md') for (const c of expected) expectedInProblems.add(codeOf(c));
        const label = expected.length ? `shows ${expected.join(', ')}` : 'is clean';
        it(`line ${s.line} (${s.kind}${name.startsWith('line ') ? '' : `, study ${name}`}) ${label}`, () => {
          const found = diagnose(ds.study, s.file, ds.severity);
          assert.deepEqual(
            foundProblems(found, expected),
            expected,
            `${where(s)} (${s.file}) produces:\n${found.map(shown).join('\n') || '(no problem)'}\nbut its notes expect: ${expected.join(', ') || 'no problem'}`,
          );
          const coverage = s.notes.get('coverage');
          if (coverage !== undefined) {
            assert.equal(s.kind, 'transcript', `${where(s)}: only a transcript has a coverage`);
            const model = ds.study.get(s.file)!.model as TranscriptModel;
            const resolved = ds.study.resolveGuide(model);
            assert.equal(resolved.status, 'ok', `${where(s)}: the transcript's guide cannot be found`);
            if (resolved.status !== 'ok') return;
            const c = transcriptCoverage(model, resolved.guide.model);
            assert.equal(`${c.asked}/${c.expected}`, coverage, `${where(s)}: the coverage is ${c.asked}/${c.expected}`);
          }
        });
      }
    }

    for (const b of reports) {
      it(`line ${b.line}: the report shown is the one the study gives`, () => {
        assert.equal(b.lang, 'markdown', `${where(b)}: a report is shown in a \`markdown\` block`);
        const ds = studies.get(b.notes.get('report')!);
        assert.ok(ds, `${where(b)}: the page has no study '${b.notes.get('report')}'`);
        const report = coverageMarkdown(coverageReport(ds.study)).split('\n');
        for (const line of b.text.split('\n')) {
          if (line.trim() === '') continue;
          assert.ok(report.includes(line), `${where(b)}: the report has no line\n${line}\nIt reads:\n${report.join('\n')}`);
        }
      });
    }
  });
}

describe('the user guide as a whole', () => {
  it('checks the examples of every page of the guide, and the README\'s sample transcript', () => {
    // Pages about the tool rather than about writing a study show no study files.
    for (const page of pages.filter((p) => p !== 'docs/performance.md' && p !== 'docs/security.md')) {
      assert.ok(allSnippets.some((s) => s.page === page), `${page} has no checked example`);
    }
    assert.ok(allSnippets.some((s) => s.page === 'README.md' && s.kind === 'transcript'), 'the README shows a transcript');
    assert.ok(allSnippets.length >= 60, `only ${allSnippets.length} examples were found: is the fence syntax still read?`);
  });

  it('explains every problem code in docs/problems.md, each with an example that produces it (but those about files on disk)', () => {
    const text = read('docs/problems.md');
    const headings = [...text.matchAll(/^#{2,4} `([^`]+)`/gm)].map((m) => m[1]);
    for (const h of headings) assert.ok(isDiagnosticCode(h), `docs/problems.md has a section on '${h}', which is no problem code`);
    const missing: string[] = [];
    for (const code of ALL_DIAGNOSTIC_CODES) {
      if (!headings.includes(code)) missing.push(`docs/problems.md has no section on \`${code}\``);
      // No text produces a problem about a file on disk; the language server's tests show those.
      if (!expectedInProblems.has(code) && !FILE_CODES.has(code)) missing.push(`docs/problems.md shows no example that produces \`${code}\``);
    }
    assert.deepEqual(missing, []);
  });

  it('links every page of the guide from its front page, and the front page from the README', () => {
    const front = linksOf('docs/README.md').map((l) => l.target);
    for (const page of pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md')) {
      assert.ok(front.includes(posix.basename(page)), `docs/README.md does not link ${page}`);
    }
    assert.ok(linksOf('README.md').some((l) => l.target === 'docs/README.md'), 'README.md does not link docs/README.md');
  });

  it('has links that work inside the packaged extension: every relative link leads to a shipped file and an existing heading', async () => {
    // vsce stores the README as readme.md: inside an installed extension, on a case-sensitive file system,
    // a link to README.md finds nothing.
    const packaged = (path: string): string => (path === 'README.md' ? 'readme.md' : path);
    const shipped = new Set((await listFiles({ cwd: root, packageManager: PackageManager.None })).map(packaged));
    const broken: string[] = [];
    for (const page of pages) {
      if (!shipped.has(packaged(page))) broken.push(`${page} is not in the .vsix (.vscodeignore)`);
      for (const { target, line } of linksOf(page)) {
        const [file, anchor] = target.split('#');
        // A link within the page stays within it, whatever the page is called in the package.
        const path = file === '' ? packaged(page) : posix.normalize(posix.join(posix.dirname(page), decodeURI(file)));
        const source = file === '' ? page : path;
        const folder = `${path.replace(/\/$/, '')}/`;
        if (!shipped.has(path) && ![...shipped].some((f) => f.startsWith(folder))) {
          broken.push(`${page}:${line}: the link to '${target}' leads to ${path}, which the .vsix does not hold`);
        } else if (anchor !== undefined && source.endsWith('.md') && !headingSlugs(source).has(anchor)) {
          broken.push(`${page}:${line}: ${source} has no heading for '#${anchor}'`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});

// ---------------------------------------------------------------- links

/** The relative links of a page (not inside code blocks): `[text](target)`. */
function linksOf(page: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let inFence = false;
  read(page).split('\n').forEach((text, i) => {
    if (/^ {0,3}(```|~~~)/.test(text)) inFence = !inFence;
    if (inFence) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) out.push({ target: m[1], line: i + 1 });
    }
  });
  return out;
}

/** The anchors GitHub and VS Code give a page's headings. */
function headingSlugs(page: string): Set<string> {
  const slugs = new Set<string>();
  let inFence = false;
  for (const line of read(page).split('\n')) {
    if (/^ {0,3}(```|~~~)/.test(line)) inFence = !inFence;
    const h = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  }
  return slugs;
}
