/**
 * Multi-file study fixtures, in the style of rust-analyzer's: one string with
 * `//- /path` headers before each file, and `$0` marking the cursor.
 *
 *   //- /ppp.guide.yaml
 *   id: ppp
 *   …
 *   //- /sw01.transcript
 *   I: @rea$0sons …
 */
import { Study } from '../../server/src/core/study';
import { NAMES_FILE, namesFromSource } from '../../server/src/host/names';
import type { Position } from '../../server/src/core/text';
import { LineIndex } from '../../server/src/core/text';

export interface Fixture {
  study: Study;
  /** Document key (the path without its leading `/`) → text, cursor marker removed. */
  texts: Map<string, string>;
  /** Where `$0` stood, if anywhere. */
  cursor?: { uri: string; position: Position; offset: number };
}

/** The URI a fixture file gets: its path without the leading slash. */
export function fixtureUri(path: string): string {
  return path.replace(/^\//, '');
}

export function parseFixture(text: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const lines = text.split('\n');
  let current: { path: string; lines: string[] } | undefined;
  for (const line of lines) {
    const m = /^\/\/- (\S+)\s*$/.exec(line);
    if (m) {
      if (current) files.push({ path: current.path, text: current.lines.join('\n') });
      current = { path: m[1], lines: [] };
    } else if (current) current.lines.push(line);
  }
  if (current) files.push({ path: current.path, text: current.lines.join('\n') });
  return files;
}

export function fixture(text: string): Fixture {
  const texts = new Map<string, string>();
  let cursor: Fixture['cursor'];
  const files = parseFixture(text).map((f) => {
    const uri = fixtureUri(f.path);
    let t = f.text;
    const at = t.indexOf('$0');
    if (at >= 0) {
      t = t.slice(0, at) + t.slice(at + 2);
      cursor = { uri, offset: at, position: new LineIndex(t).positionAt(at) };
    }
    texts.set(uri, t);
    return { uri, path: uri, text: t };
  });
  // A names list among the files is the study's (SPEC §13): its transcripts are checked against it.
  const names = texts.get(NAMES_FILE);
  const privacy = names === undefined ? undefined : namesFromSource({ kind: 'text', text: names, where: NAMES_FILE, inStudy: NAMES_FILE }).rules;
  return { study: Study.fromFiles(files, privacy), texts, cursor };
}

// ---------------------------------------------------------------- reading results as text

/** An LSP-style text edit, as the core's features return it. */
export interface FixtureEdit {
  range: { start: Position; end: Position };
  newText: string;
}

/**
 * `text` with `edits` applied, as an editor applies one document's part of a
 * workspace edit: all ranges refer to the original text. Overlapping edits are
 * an error (an editor would reject them).
 */
export function applyEdits(text: string, edits: readonly FixtureEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) throw new Error(`overlapping edits at offsets ${spans[i - 1].start} and ${spans[i].start}`);
  }
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/** Every fixture file's text after a workspace edit; files it does not touch keep their text. */
export function applyWorkspaceEdit(texts: ReadonlyMap<string, string>, edit: { changes: Record<string, readonly FixtureEdit[]> }): Map<string, string> {
  const out = new Map(texts);
  for (const [uri, edits] of Object.entries(edit.changes)) {
    const before = texts.get(uri);
    if (before === undefined) throw new Error(`the edit changes ${uri}, which is not a fixture file`);
    out.set(uri, applyEdits(before, edits));
  }
  return out;
}

/** A location as a person reads it: `path:line:col`, 1-based, as in an editor's status bar. */
export function renderLocation(l: { uri: string; range: { start: Position } }): string {
  return `${l.uri}:${l.range.start.line + 1}:${l.range.start.character + 1}`;
}

/** The fixture's cursor, failing the test when the fixture has no `$0`. */
export function cursorOf(f: Fixture): { uri: string; position: Position; offset: number } {
  if (!f.cursor) throw new Error('the fixture has no $0 cursor');
  return f.cursor;
}
