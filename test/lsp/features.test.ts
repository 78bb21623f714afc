/**
 * The editor features and custom requests of the language server (SPEC §6),
 * driven over stdio against the real server process on the fixture study
 * test/fixtures/lsp-study. Edits (rename, quick fixes, completion) are checked
 * as the full text of every file after applying them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type {
  CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Location, SymbolInformation, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import type { CodeCountRow, CoverageReport, SegmentRow } from '../../server/src/protocol';
import { applyEdits, copyFixture, LspClient, removeStudy, textAt, uriOf } from '../support/lspClient';

let dir: string;
let client: LspClient;
const read = (rel: string): string => readFileSync(path.join(dir, rel), 'utf8');
const uri = (rel: string): string => uriOf(path.join(dir, rel));
const pos = (line: number, character: number): { line: number; character: number } => ({ line, character });

/** Where `needle` first (or, with `last`, last) starts in a text, plus `delta` characters. */
function at(text: string, needle: string, delta = 0, last = false): { line: number; character: number } {
  const offset = last ? text.lastIndexOf(needle) : text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found`);
  const before = text.slice(0, offset + delta).split('\n');
  return pos(before.length - 1, before[before.length - 1].length);
}

/** Every study file's text after applying `edit` to the files on disk (or to `texts` where given). */
function applied(edit: WorkspaceEdit, texts: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((f) => !f.startsWith('.'))) out[name] = texts[name] ?? read(name);
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const name = path.basename(new URL(u).pathname);
    assert.ok(name in out, `edit of an unknown file ${u}`);
    out[name] = applyEdits(out[name], edits as TextEdit[]);
  }
  return out;
}

function unchanged(): Record<string, string> {
  return applied({ changes: {} });
}

before(async () => {
  dir = copyFixture('lsp-study');
  client = await LspClient.start({ folders: [dir] });
  await client.waitForDiagnostics(uri('sw02.transcript'));
});

after(async () => {
  assert.equal(await client.stop(), 0);
  removeStudy(dir);
});

describe('completion', () => {
  it('offers every code after `#`, those linked to the current question first, replacing the whole token', async () => {
    const text = `${read('sw01.transcript')}R: And one more #`;
    const u = await client.open(path.join(dir, 'sw01.transcript'), text);
    const end = at(text, 'one more #', 'one more #'.length);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: u }, position: end, context: { triggerKind: 2, triggerCharacter: '#' },
    });
    const sorted = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    // `risk` is linked to @first-visit, whose answer region this is.
    assert.equal(sorted[0].label, 'risk');
    assert.deepEqual(new Set(items.map((i) => i.label)), new Set(['benefit', 'benefit/family', 'benefit/child', 'risk', 'old-risk']));
    const family = items.find((i) => i.label === 'benefit/family')!;
    assert.equal(family.detail, 'Benefits for the family');
    assert.equal(applyEdits(text, [family.textEdit as TextEdit]), `${text}benefit/family`);
    // A deprecated code is tagged so that editors strike it through.
    assert.deepEqual(items.find((i) => i.label === 'old-risk')!.tags, [1]);
    assert.equal(family.tags, undefined);
    await client.close(u);
  });

  it('completes a partly typed path by replacing all of it', async () => {
    const text = `${read('sw01.transcript')}R: {Yes}#benefit/fa and more`;
    const u = await client.open(path.join(dir, 'sw01.transcript'), text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u }, position: at(text, '#benefit/fa', 4, true) });
    const family = items.find((i) => i.label === 'benefit/family')!;
    assert.equal(applyEdits(text, [family.textEdit as TextEdit]).split('\n').at(-1), 'R: {Yes}#benefit/family and more');
    await client.close(u);
  });

  it('offers the guide\'s questions after `@`, the ones not yet asked before those asked', async () => {
    const text = `${read('sw01.transcript')}\nI: @`;
    const u = await client.open(path.join(dir, 'sw01.transcript'), text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: u }, position: at(text, '\nI: @', 5, true), context: { triggerKind: 2, triggerCharacter: '@' },
    });
    const order = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
    assert.ok(order.indexOf('experience') < order.indexOf('job-title'), order.join(' '));
    assert.ok(order.indexOf('worth-it') < order.indexOf('first-visit'), order.join(' '));
    assert.equal(items.find((i) => i.label === 'experience')!.detail, 'How long have you worked in child protection?');
    await client.close(u);
  });

  it('advertises `#`, `@` and `/` as trigger characters', () => {
    assert.deepEqual(client.initializeResult.capabilities.completionProvider?.triggerCharacters, ['#', '@', '/']);
  });
});

describe('hover, definition and references', () => {
  it('shows a question\'s text on its marker', async () => {
    const text = read('sw01.transcript');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, '@first-visit', 3) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /Tell me about your first home visit to this family\./);
    assert.match(value, /The visits/);
    assert.equal(textAt(text, hover.range!), '@first-visit');
  });

  it('shows a code\'s label, linked question and usage on the code', async () => {
    const text = read('sw01.transcript');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, '#benefit/family', 10) });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /Benefits for the family/);
    assert.match(value, /Looking back, was the visit worth it\?/);
    assert.match(value, /1 segment in 1 transcript/);
  });

  it('answers nothing on plain text', async () => {
    const text = read('sw01.transcript');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, 'Senior', 2) });
    assert.equal(hover, null);
  });

  it('goes from a marker to the question in the guide, and from a code to the codebook', async () => {
    const text = read('sw01.transcript');
    const [q] = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, '@job-title', 1) });
    assert.equal(q.uri, uri('visits.guide.yaml'));
    assert.equal(textAt(read('visits.guide.yaml'), q.range), 'job-title');
    const [c] = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('sw02.transcript') }, position: at(read('sw02.transcript'), '#old-risk', 2) });
    assert.equal(c.uri, uri('themes.codebook.yaml'));
    assert.equal(textAt(read('themes.codebook.yaml'), c.range), 'old-risk');
    const [g] = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, 'visits', 2) });
    assert.equal(g.uri, uri('visits.guide.yaml'));
  });

  it('finds every use of a code in the study, in files that are not open too', async () => {
    const cb = read('themes.codebook.yaml');
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('themes.codebook.yaml') }, position: at(cb, 'id: risk', 5), context: { includeDeclaration: false },
    });
    const shown = refs.map((r) => `${path.basename(r.uri)} ${textAt(read(path.basename(r.uri)), r.range)}`).sort();
    assert.deepEqual(shown, ['sw01.transcript risk', 'themes.codebook.yaml risk']);
    const withDecl = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri('themes.codebook.yaml') }, position: at(cb, 'id: risk', 5), context: { includeDeclaration: true },
    });
    assert.equal(withDecl.length, 3);
  });
});

describe('rename', () => {
  it('renames a code\'s last segment in the codebook and every transcript, and nothing else', async () => {
    const text = read('sw01.transcript');
    const position = at(text, '#benefit/family', 12);
    const prep = await client.request<{ range: Diagnostic['range']; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri('sw01.transcript') }, position });
    assert.equal(prep.placeholder, 'family');
    assert.equal(textAt(text, prep.range), 'family');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri('sw01.transcript') }, position, newName: 'household' });
    const expected = unchanged();
    expected['themes.codebook.yaml'] = expected['themes.codebook.yaml'].replace('- id: family', '- id: household');
    expected['sw01.transcript'] = expected['sw01.transcript'].replace('#benefit/family', '#benefit/household');
    assert.deepEqual(applied(edit), expected);
  });

  it('renames a question in its guide, the codebook\'s links and the transcripts\' `skipped` entries', async () => {
    const guide = read('visits.guide.yaml');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: uri('visits.guide.yaml') }, position: at(guide, 'id: worth-it', 6), newName: 'was-it-worth-it',
    });
    const expected = unchanged();
    expected['visits.guide.yaml'] = guide.replace('id: worth-it', 'id: was-it-worth-it');
    expected['themes.codebook.yaml'] = expected['themes.codebook.yaml'].replace('questions: [worth-it]', 'questions: [was-it-worth-it]');
    expected['sw02.transcript'] = expected['sw02.transcript'].replace('skipped: [worth-it]', 'skipped: [was-it-worth-it]');
    assert.deepEqual(applied(edit), expected);
  });

  it('refuses a name already taken, with the reason as the error message', async () => {
    const text = read('sw01.transcript');
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, '#benefit/family', 12), newName: 'child' }),
      (err: Error & { code?: number }) => /already a code 'benefit\/child'/.test(err.message) && err.code === -32803,
    );
  });

  it('refuses an invalid name', async () => {
    const text = read('sw01.transcript');
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: uri('sw01.transcript') }, position: at(text, '#risk', 2), newName: 'two words' }),
      (err: Error) => err.message.length > 0,
    );
  });
});

describe('code actions', () => {
  async function fixes(rel: string, code: string, strip = false): Promise<CodeAction[]> {
    const p = await client.waitForDiagnostics(uri(rel));
    const d = p.diagnostics.find((x) => x.code === code)!;
    // A client without `data` support sends the diagnostic back without it.
    const sent = strip ? { ...d, data: undefined } : d;
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(rel) }, range: d.range, context: { diagnostics: [sent] } });
  }

  it('offers the did-you-mean replacement and adding the code to the codebook for an unknown code', async () => {
    const actions = await fixes('sw01.transcript', 'unknown-code');
    assert.deepEqual(actions.map((a) => a.title), ["Change to '#benefit'", "Add code 'benefits' to the codebook"]);
    assert.ok(actions.every((a) => a.kind === 'quickfix' && a.diagnostics?.[0].code === 'unknown-code'));
    const expected = unchanged();
    expected['sw01.transcript'] = expected['sw01.transcript'].replace('#benefits', '#benefit');
    assert.deepEqual(applied(actions[0].edit!), expected);
    const added = applied(actions[1].edit!)['themes.codebook.yaml'];
    assert.equal(added, `${read('themes.codebook.yaml')}  - id: benefits\n    label: Benefits\n`);
  });

  it('still offers the fixes when the client sends the diagnostic back without its data', async () => {
    const actions = await fixes('sw01.transcript', 'unknown-code', true);
    assert.deepEqual(actions.map((a) => a.title), ["Change to '#benefit'", "Add code 'benefits' to the codebook"]);
  });

  it('marks an unasked question as skipped, and replaces a deprecated code', async () => {
    const skip = await fixes('sw01.transcript', 'unasked-question');
    assert.equal(skip[0].title, "Mark question 'experience' as skipped");
    assert.equal(applied(skip[0].edit!)['sw01.transcript'], read('sw01.transcript').replace('role: swr\n', 'role: swr\nskipped:\n  experience: reason not recorded\n'));
    const replace = await fixes('sw02.transcript', 'deprecated-code');
    const fix = replace.find((a) => /risk/.test(a.title))!;
    assert.equal(applied(fix.edit!)['sw02.transcript'], read('sw02.transcript').replace('#old-risk', '#risk'));
  });

  it('offers nothing for other tools\' diagnostics', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri('sw01.transcript') }, range: { start: pos(0, 0), end: pos(0, 1) },
      context: { diagnostics: [{ range: { start: pos(0, 0), end: pos(0, 1) }, message: 'x', source: 'spell', code: 'unknown-code' }] },
    });
    assert.deepEqual(actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.length), []);
  });
});

describe('outline, folding and workspace symbols', () => {
  it('outlines a transcript by guide section and question', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('sw01.transcript') } });
    assert.deepEqual(symbols.map((s) => `${s.name}: ${s.children!.map((c) => c.name).join(', ')}`), [
      'Background: @job-title',
      'The visits: @first-visit',
    ]);
  });

  it('outlines a guide and a codebook', async () => {
    const guide = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('visits.guide.yaml') } });
    const names = (list: DocumentSymbol[]): string[] => list.flatMap((s) => [s.name, ...names(s.children ?? [])]);
    assert.ok(names(guide).some((n) => n.includes('worth-it')), names(guide).join(' | '));
    const codebook = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri('themes.codebook.yaml') } });
    assert.ok(names(codebook).some((n) => n.includes('family')), names(codebook).join(' | '));
  });

  it('folds the front matter and answer regions', async () => {
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uri('sw01.transcript') } });
    // The front matter (lines 0–4) and the answer regions of the markers on lines 6 and 9.
    assert.deepEqual(ranges.map((r) => r.startLine), [0, 6, 9]);
    assert.equal(ranges[0].endLine, 4);
    assert.ok(ranges[1].endLine >= 7 && ranges[1].endLine < 9 && ranges[2].endLine === 10, JSON.stringify(ranges));
  });

  it('finds codes and questions across the workspace', async () => {
    const symbols = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'worth' });
    assert.ok(symbols.some((s) => s.name.includes('worth-it') && s.location.uri === uri('visits.guide.yaml')), JSON.stringify(symbols));
    const codes = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'famil' });
    assert.ok(codes.some((s) => s.name.includes('benefit/family') && s.location.uri === uri('themes.codebook.yaml')));
  });
});

describe('custom requests', () => {
  it('transcriptCoder/codeCounts gives the rows of `codes --format json`, for the study or one transcript', async () => {
    const rows = await client.request<CodeCountRow[]>('transcriptCoder/codeCounts', {});
    assert.deepEqual(rows.map((r) => `${r.code} ${r.known ? '' : '(unknown) '}${r.segments}/${r.totalSegments} in ${r.totalTranscripts} parent=${r.parent}`), [
      'benefit 0/2 in 2 parent=null',
      'benefit/family 1/1 in 1 parent=benefit',
      'benefit/child 1/1 in 1 parent=benefit',
      'risk 1/1 in 1 parent=null',
      'old-risk 1/1 in 1 parent=null',
      'benefits (unknown) 1/1 in 1 parent=null',
    ]);
    const one = await client.request<CodeCountRow[]>('transcriptCoder/codeCounts', { uri: uri('sw02.transcript') });
    assert.deepEqual(one.filter((r) => r.segments > 0).map((r) => r.code), ['benefit/child', 'old-risk']);
    const byFolder = await client.request<CodeCountRow[]>('transcriptCoder/codeCounts', { folder: uriOf(dir) });
    assert.deepEqual(byFolder, rows);
  });

  it('transcriptCoder/segments lists a code\'s segments with excerpts, relative file and document URI', async () => {
    const rows = await client.request<SegmentRow[]>('transcriptCoder/segments', { code: 'benefit/family' });
    assert.equal(rows.length, 1);
    const [r] = rows;
    assert.equal(r.file, 'sw01.transcript');
    assert.equal(r.uri, uri('sw01.transcript'));
    assert.equal(r.participant, 'SW01');
    assert.equal(r.question, 'job-title');
    assert.equal(r.excerpt, 'Zoë says the visits help her family');
    assert.equal(textAt(read('sw01.transcript'), r.range), 'Zoë says the visits help her family');
    const none = await client.request<SegmentRow[]>('transcriptCoder/segments', { code: 'benefit/family', uri: uri('sw02.transcript') });
    assert.deepEqual(none, []);
  });

  it('transcriptCoder/segments reads an open document\'s excerpts from the editor', async () => {
    const text = read('sw02.transcript').replace('Eleven years.', 'Eleven long years.');
    const u = await client.open(path.join(dir, 'sw02.transcript'), text);
    const rows = await client.request<SegmentRow[]>('transcriptCoder/segments', { code: 'benefit/child' });
    assert.equal(rows[0].excerpt, 'R: Eleven long years. #benefit/child'.replace(' #benefit/child', ''));
    await client.close(u);
  });

  it('transcriptCoder/coverage gives the report with sections and questions, for the study or one transcript', async () => {
    const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
    assert.equal(report.guides.length, 1);
    const g = report.guides[0];
    assert.equal(g.id, 'visits');
    assert.deepEqual(g.sections.map((s) => `${s.id}: ${s.questions.map((q) => q.id).join(' ')}`), [
      'background: job-title team-size experience',
      'visits: first-visit worth-it',
      'managing: supervision',
    ]);
    assert.deepEqual(g.transcripts.map((t) => `${t.file} ${t.asked}/${t.expected}`), ['sw01.transcript 2/4', 'sw02.transcript 1/3']);
    assert.equal(g.transcripts[0].uri, uri('sw01.transcript'));
    const one = await client.request<CoverageReport>('transcriptCoder/coverage', { uri: uri('sw02.transcript') });
    assert.deepEqual(one.guides.map((x) => `${x.id} ${x.asked}/${x.expected} ${x.transcripts.map((t) => t.file)}`), ['visits 1/3 sw02.transcript']);
    assert.equal('unresolved' in report || 'unresolved' in one, false);
  });

  it('transcriptCoder/coverage lists a transcript whose guide was not found, for the study and on its own', async () => {
    const u = await client.open(path.join(dir, 'sw09.transcript'), '---\nguide: visits-2019\nparticipant: SW09\nrole: swr\n---\nI: @job-title Hello?\n');
    try {
      await client.waitForDiagnostics(u, (p) => p.version === 1);
      const lost = { file: 'sw09.transcript', uri: u, participant: 'SW09', role: 'swr', attributes: {}, guide: 'visits-2019' };
      const report = await client.request<CoverageReport>('transcriptCoder/coverage', {});
      assert.deepEqual(report.guides[0].transcripts.map((t) => t.file), ['sw01.transcript', 'sw02.transcript']);
      assert.deepEqual(report.unresolved, [lost]);
      assert.deepEqual(await client.request<CoverageReport>('transcriptCoder/coverage', { uri: u }), { guides: [], unresolved: [lost] });
      const page = await client.request<string>('transcriptCoder/coverageHtml', {});
      assert.ok(page.includes('<tr><td>SW09</td><td><code>visits-2019</code>: no guide has this ID</td><td>sw09.transcript</td></tr>'));
    } finally {
      await client.close(u);
    }
  });

  it('reads files changed on disk without a file event before answering, excerpts and coverage alike', async () => {
    // A client that does not watch files: the server learns of the change only from the disk.
    const own = copyFixture('lsp-study');
    const other = await LspClient.start({ folders: [own], watchedFiles: false });
    try {
      const sw01 = path.join(own, 'sw01.transcript');
      await other.waitForDiagnostics(uriOf(sw01));
      const before = await other.request<SegmentRow[]>('transcriptCoder/segments', { code: 'benefit/family' });
      assert.equal(before[0].excerpt, 'Zoë says the visits help her family');
      const text = readFileSync(sw01, 'utf8')
        .replace('R: Senior practitioner. {Zoë says the visits help her family}#benefit/family',
          'R: Senior practitioner.\n\nI: @experience And in child protection?\nR: Nine years. {Zoë said the home visits helped her whole family}#benefit/family');
      writeFileSync(sw01, text);
      const rows = await other.request<SegmentRow[]>('transcriptCoder/segments', { code: 'benefit/family' });
      assert.deepEqual(rows.map((r) => `${r.file} ${r.question}: ${r.excerpt}`), ['sw01.transcript experience: Zoë said the home visits helped her whole family']);
      assert.equal(textAt(text, rows[0].range), 'Zoë said the home visits helped her whole family');
      const report = await other.request<CoverageReport>('transcriptCoder/coverage', {});
      assert.deepEqual(report.guides[0].transcripts.map((t) => `${t.file} ${t.asked}/${t.expected}`), ['sw01.transcript 3/4', 'sw02.transcript 1/3']);
      // Its diagnostics follow: `experience` is no longer unasked.
      const p = await other.waitForDiagnostics(uriOf(sw01), (d) => d.diagnostics.length === 2);
      assert.deepEqual(p.diagnostics.map((d) => d.code).sort(), ['unasked-question', 'unknown-code']);
    } finally {
      assert.equal(await other.stop(), 0);
      removeStudy(own);
    }
  });

  it('answers an empty result for a document outside every study', async () => {
    assert.deepEqual(await client.request('transcriptCoder/codeCounts', { uri: 'file:///nowhere/x.transcript' }), []);
    assert.deepEqual(await client.request('transcriptCoder/coverage', { folder: 'file:///nowhere' }), { guides: [] });
  });
});
