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
  return { study: Study.fromFiles(files), texts, cursor };
}
