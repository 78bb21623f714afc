/**
 * The names list (SPEC §13): the real names of people and places and, optionally, each one's
 * pseudonym. It is the key to the study's pseudonyms, so nothing here ever puts its contents in a
 * message: a problem says where it is (a line) and what shape was expected, never what was written.
 *
 * Accepted shapes: a map `Real Name: Pseudonym` (an empty value means "no pseudonym yet"), a list
 * of names, or a list mixing names and one-entry maps `- Real Name: Pseudonym`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** One listed name. */
export interface NameEntry {
  name: string;
  pseudonym?: string;
}

/** A problem of the names list, at offsets of its text, in words that quote none of it. */
export interface NamesProblem {
  start: number;
  end: number;
  message: string;
}

export interface NamesList {
  entries: NameEntry[];
  problems: NamesProblem[];
}

const SHAPE = 'each entry must be a name, or a name and its pseudonym as "Real Name: Pseudonym"';

/** Reads a names list. Never throws; an unusable entry is left out and reported by its line. */
export function parseNamesList(text: string): NamesList {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - clean.length;
  const lines = new LineCounter();
  const problems: NamesProblem[] = [];
  const entries: NameEntry[] = [];
  let doc;
  try {
    doc = parseDocument(clean, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  } catch {
    return { entries, problems: [{ start: 0, end: 0, message: 'The names list could not be read as YAML.' }] };
  }
  const lineOf = (offset: number): number => lines.linePos(offset).line;
  if (doc.errors.length > 0) {
    const [s, e] = doc.errors[0].pos;
    problems.push({ start: s + shift, end: Math.max(s, e) + shift, message: `The names list is not valid YAML (line ${lineOf(s)}), so no name of it is checked. Write one "Real Name: Pseudonym" per line, or a list of names.` });
    return { entries, problems };
  }
  const bad = (node: Node | null | undefined, fallback: number, what: string): void => {
    const [s, e] = node?.range ?? [fallback, fallback];
    problems.push({ start: s + shift, end: e + shift, message: `The names list, line ${lineOf(s)}: ${what}; this entry is not checked.` });
  };
  const text1 = (node: unknown): string | undefined => {
    if (!isScalar(node)) return undefined;
    const v = node.value;
    if (typeof v === 'string') return v.trim() || undefined;
    if (typeof v === 'number' || typeof v === 'boolean') return undefined;
    return undefined;
  };
  const addPair = (key: Node | null, value: Node | null, at: number): void => {
    const name = text1(key);
    if (!name) return bad(key, at, SHAPE);
    if (value === null || (isScalar(value) && (value.value === null || value.value === ''))) {
      entries.push({ name });
      return;
    }
    const pseudonym = text1(value);
    if (!pseudonym) return bad(value, at, 'a pseudonym must be text written on the same line as its name');
    entries.push({ name, pseudonym });
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { entries, problems };
  if (isMap(root)) {
    for (const pair of root.items) addPair(pair.key as Node | null, pair.value as Node | null, root.range?.[0] ?? 0);
  } else if (isSeq(root)) {
    for (const item of root.items as (Node | null)[]) {
      if (isMap(item) && item.items.length === 1) addPair(item.items[0].key as Node | null, item.items[0].value as Node | null, item.range?.[0] ?? 0);
      else {
        const name = text1(item);
        if (name) entries.push({ name });
        else bad(item, root.range?.[0] ?? 0, SHAPE);
      }
    }
  } else {
    bad(root as Node, 0, 'the names list must be a map of "Real Name: Pseudonym" lines or a list of names');
  }
  return { entries, problems };
}
