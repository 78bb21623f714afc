/**
 * The schema reader shared by the guide and codebook parsers: which fields a
 * mapping allows, what type and form each value must have, and the messages a
 * researcher reads when one does not fit ("`colour` is not a field of a code.
 * Did you mean `color`?"). It walks the AST that `read.ts` gives, never throws,
 * and collects `Problem`s with exact offsets.
 */
import { distance } from 'fastest-levenshtein';
import type { Alias, Scalar } from 'yaml';
import type { Located, Problem } from '../model';
import type { DiagnosticCode } from '../diagnosticCodes';
import type { LineIndex } from '../text';
import { NodeRanges, isAlias, isMap, isScalar, isSeq, parseYaml, scalarText, yamlLineBreaks, type Node, type Pair, type YAMLMap } from './read';

/** The problem a parser reports when it failed unexpectedly (its last resort: the file then reads as empty). */
export function internalProblem(lines: LineIndex, what: string, err: unknown): Problem {
  const detail = err instanceof Error ? err.message : String(err);
  return {
    code: 'schema',
    start: 0,
    end: lines.ends[0],
    message: `Transcript Coder could not read this ${what} (${detail}). Please report this as a bug, with the file if you can.`,
  };
}

/** The fields a kind of mapping allows, and how to name that mapping in messages. */
export interface FieldSet<K extends string = string> {
  /** 'a code', 'a section' … as in "`colour` is not a field of a code". */
  readonly owner: string;
  readonly names: readonly K[];
  readonly has: ReadonlySet<string>;
}

export function fieldSet<K extends string>(owner: string, names: readonly K[]): FieldSet<K> {
  return { owner, names, has: new Set<string>(names) };
}

/** "a, b and c". */
export function listPhrase(items: readonly string[], quote = '`'): string {
  const q = items.map((s) => `${quote}${s}${quote}`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** The candidate nearest to `word` by edit distance (ignoring case), when it is near enough to be a likely typo. */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  // Short names tolerate one slip, longer ones a transposition (`titel`) or a third of their length.
  const limit = w.length <= 3 ? 1 : Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Marks a field that is present but unusable (already reported): callers then skip their "missing" check. */
export const INVALID = Symbol('invalid');
export type Read<T> = T | undefined | typeof INVALID;

/** What a file's top level must be, for `SchemaReader.readDocument`. */
export interface TopLevel {
  /** Reads the top-level mapping. */
  readMap(map: YAMLMap): void;
  /** The message for a file with nothing in it. */
  empty: string;
  /** The message for a top level that is not a mapping, given what it is ("a list"). */
  notAMapping(found: string): string;
}

/**
 * Reads the fields of mappings against a `FieldSet`, reporting what does not fit.
 * `fileNoun` is 'guides' or 'codebooks', for the alias message.
 */
export class SchemaReader extends NodeRanges {
  readonly problems: Problem[] = [];

  constructor(
    text: string,
    private readonly fileNoun: string,
  ) {
    super(text);
  }

  /**
   * Reads the whole file: its YAML syntax problems, then its top level through
   * `top`. Returns every problem in file order. A file with syntax errors gets
   * no message about its shape: there is nothing useful to say about it.
   */
  readDocument(top: TopLevel, firstLineEnd: number): Problem[] {
    const { doc, problems: syntax } = parseYaml(yamlLineBreaks(this.text), 'yaml-syntax');
    for (const p of syntax) this.report(p.code, p.start, p.end, p.message);
    const root = doc.contents;
    if (isAlias(root)) {
      this.alias(root);
    } else if (isMap(root)) {
      top.readMap(root);
    } else if (syntax.length === 0) {
      if (!root || (isScalar(root) && (root.value === null || root.value === undefined))) {
        this.report('schema', 0, firstLineEnd, top.empty);
      } else {
        const { start, end } = this.headRange(root);
        this.report('schema', start, end, top.notAMapping(kindPhrase(root)));
      }
    }
    return this.problems.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  report(code: DiagnosticCode, start: number, end: number, message: string): void {
    const n = this.text.length;
    const s = Math.max(0, Math.min(start, n));
    const e = Math.max(s, Math.min(end, n));
    this.problems.push({ code, start: s, end: e, message });
  }

  alias(node: Alias | Node): void {
    const { start, end } = this.range(node);
    this.report('schema', start, end, `YAML aliases (\`*name\`) are not supported in ${this.fileNoun}: write the value out in full.`);
  }

  /** Reports a list entry that is not a mapping (it is skipped); `expected` says what it should be. */
  entryNotAMapping(item: unknown, field: string, expected: string): void {
    if (isAlias(item)) {
      this.alias(item);
      return;
    }
    const at = isScalar(item) || !item ? this.range(item) : this.headRange(item);
    const found = item === null || item === undefined ? 'empty' : kindPhrase(item);
    this.report('schema', at.start, at.end, `Each entry of \`${field}\` must be ${expected}; this one is ${found}, so it is left out.`);
  }

  /**
   * The pairs of `map` by field name (the first of repeated keys: the YAML
   * reader already reports repeats), reporting unknown fields and keys that are not names.
   */
  fields<K extends string>(map: YAMLMap, set: FieldSet<K>): Partial<Record<K, Pair>> {
    const out: Partial<Record<K, Pair>> = {};
    for (const pair of map.items) {
      const key = pair.key;
      if (isAlias(key)) {
        this.alias(key);
        continue;
      }
      const name = scalarText(key);
      if (name === undefined || name === '' || !isScalar(key)) {
        const r = isScalar(key) ? this.rawRange(key) : key ? this.headRange(key) : this.range(pair.value);
        this.report('schema', r.start, r.end, `A field name must be a single word such as \`${set.names[0]}\`.`);
        continue;
      }
      if (set.has.has(name)) {
        if (out[name as K] === undefined) out[name as K] = pair;
        else this.repeatedKey(key, `\`${name}\` is given twice here: keep one (only the first is read).`);
        continue;
      }
      const r = this.range(key);
      const near = nearestName(name, set.names);
      this.report(
        'schema',
        r.start,
        r.end,
        near !== undefined
          ? `\`${name}\` is not a field of ${set.owner}. Did you mean \`${near}\`?`
          : `\`${name}\` is not a field of ${set.owner}. Its fields are ${listPhrase(set.names)}.`,
      );
    }
    return out;
  }

  /**
   * Rewords the YAML reader's "Map keys must be unique" error on a repeated key
   * (it stays a `yaml-syntax` problem, now naming the key and covering it).
   */
  repeatedKey(key: unknown, message: string): void {
    const raw = (key as Node | null | undefined)?.range?.[0];
    if (raw === undefined) return;
    const p = this.problems.find((x) => x.code === 'yaml-syntax' && x.start === raw);
    if (!p) return;
    const { start, end } = this.range(key);
    p.start = start;
    p.end = end;
    p.message = message;
  }

  /** Whether a pair's value is empty (`field:` with nothing after it, or `~`/`null`). */
  isEmpty(pair: Pair | undefined): boolean {
    if (!pair) return true;
    const v = pair.value;
    return v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === undefined));
  }

  /**
   * A text field: a string (numbers and booleans as written). `undefined` when
   * absent or empty, `INVALID` when present but not text (reported).
   */
  str(pair: Pair | undefined, field: string, of: string): Read<Located> {
    if (!pair || this.isEmpty(pair)) return undefined;
    const v = pair.value;
    if (isAlias(v)) {
      this.alias(v);
      return INVALID;
    }
    if (isScalar(v)) {
      let s = scalarText(v);
      if (s === undefined) return undefined;
      // A block scalar (`|`, `>`) keeps its final line break; messages and hovers do not want it.
      if (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') s = s.trimEnd();
      const { start, end } = this.range(v);
      return { value: s, start, end };
    }
    const r = this.range(pair.key);
    this.report('schema', r.start, r.end, `\`${field}\` of ${of} must be text, not ${kindPhrase(v)}.`);
    return INVALID;
  }

  /** A true/false field. */
  boolean(pair: Pair | undefined, field: string, of: string): Read<boolean> {
    if (!pair) return undefined;
    const v = pair.value;
    if (isAlias(v)) {
      this.alias(v);
      return INVALID;
    }
    if (isScalar(v) && typeof v.value === 'boolean') return v.value;
    const r = this.valueOrKeyRange(pair);
    const written = isScalar(v) ? scalarText(v) : undefined;
    this.report(
      'schema',
      r.start,
      r.end,
      written !== undefined
        ? `\`${field}\` of ${of} must be true or false, not '${written}'.`
        : `\`${field}\` of ${of} must be true or false.`,
    );
    return INVALID;
  }

  /**
   * A list of scalars (IDs, prompts). A single value is reported and read as a
   * one-entry list; `undefined` when absent or empty, `INVALID` when unusable.
   * `entry` names one entry in messages: 'a role ID', 'a question ID', 'a prompt'.
   */
  scalarList(pair: Pair | undefined, field: string, of: string, entry: string): Read<Located[]> {
    if (!pair || this.isEmpty(pair)) return undefined;
    const v = pair.value;
    if (isAlias(v)) {
      this.alias(v);
      return INVALID;
    }
    if (isScalar(v)) {
      const s = scalarText(v);
      if (s === undefined) return undefined;
      const { start, end } = this.range(v);
      this.report('schema', start, end, `\`${field}\` of ${of} must be a list, e.g. \`${field}: [${s}]\`.`);
      // `roles: swr, tm` meant a list: read its comma-separated parts, each at its own offsets
      // (only for a plain value written on one line, whose text is exactly its value).
      if (v.type === 'PLAIN' && s.includes(',') && this.text.slice(start, end) === s) {
        const parts: Located[] = [];
        let from = 0;
        for (const piece of s.split(',')) {
          const lead = piece.length - piece.trimStart().length;
          const value = piece.trim();
          if (value !== '') parts.push({ value, start: start + from + lead, end: start + from + lead + value.length });
          from += piece.length + 1;
        }
        return parts;
      }
      return [{ value: s, start, end }];
    }
    if (!isSeq(v)) {
      const r = this.range(pair.key);
      this.report('schema', r.start, r.end, `\`${field}\` of ${of} must be a list of entries, each ${entry}, not ${kindPhrase(v)}.`);
      return INVALID;
    }
    const out: Located[] = [];
    for (const item of v.items) {
      if (isAlias(item)) {
        this.alias(item);
        continue;
      }
      const s = isScalar(item) ? scalarText(item) : undefined;
      if (s !== undefined) {
        const { start, end } = this.range(item);
        out.push({ value: s, start, end });
        continue;
      }
      const r = isScalar(item) || !item ? this.range(item) : this.headRange(item);
      this.report(
        'schema',
        r.start,
        r.end,
        isScalar(item) || !item
          ? `An entry of \`${field}\` of ${of} is empty: write ${entry} or remove the entry.`
          : `Each entry of \`${field}\` of ${of} must be ${entry}, not ${kindPhrase(item)}.`,
      );
    }
    return out;
  }
}

/** Whether `map` has the field `field` holding a non-empty list (the children of an item about to be left out). */
export function hasListEntries(map: YAMLMap, field: string): boolean {
  for (const p of map.items) {
    if (isScalar(p.key) && p.key.value === field) return isSeq(p.value) && p.value.items.length > 0;
  }
  return false;
}

/** How a node's kind reads in a sentence: "a list", "a set of fields". */
export function kindPhrase(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a set of fields';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) return (node as Scalar).value === null ? 'empty' : 'a single value';
  return 'empty';
}
