/**
 * Reading YAML with exact positions, through the `yaml` package's AST.
 * The AST is walked directly (never turned into plain JS), so aliases are never
 * expanded and an alias bomb costs nothing. What a guide or codebook may hold is
 * the schema reader's business (`schema.ts`); this module only reads and locates.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from '../model';
import type { DiagnosticCode } from '../diagnosticCodes';

export { isAlias, isMap, isScalar, isSeq };
export type { Node, Pair, YAMLMap };

/**
 * How deep follow-ups and child codes may nest before the deeper ones are left
 * out (and reported): no study needs more, and it bounds the readers' recursion.
 */
export const MAX_NESTING = 32;

export interface ParsedYaml {
  doc: Document.Parsed;
  /** Syntax errors, already shifted by the `offset` given. */
  problems: Problem[];
}

/**
 * Parses `text` (which starts at `offset` in its file) into a YAML document.
 * `code` is the diagnostic code syntax errors are reported under.
 */
export function parseYaml(text: string, code: DiagnosticCode, offset = 0): ParsedYaml {
  const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, keepSourceTokens: false, uniqueKeys: true });
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const [s, e] = err.pos;
    problems.push({
      code,
      start: offset + s,
      end: offset + Math.max(e, s),
      message: `This is not valid YAML: ${yamlMessage(err.message)}`,
    });
  }
  return { doc, problems };
}

/** The yaml package's message without its trailing source excerpt, as one sentence. */
function yamlMessage(message: string): string {
  // The yaml package reports its own recursion limit in JavaScript's words.
  if (/call stack/i.test(message)) return 'it is nested too deeply to read (thousands of levels of lists or maps inside each other).';
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
  return first.endsWith('.') ? first : `${first}.`;
}

/**
 * The text to give the YAML reader: a lone `\r` (a line break for editors and
 * `LineIndex`, but not for the `yaml` package) becomes `\n`. The length, and so
 * every offset, is unchanged.
 */
export function yamlLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Offsets [start, end) of a node as written, shifted by `offset`. */
export function nodeRange(node: Node | null | undefined, offset = 0): { start: number; end: number } | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return { start: offset + r[0], end: offset + r[1] };
}

/** A pair's key as text, when it is a scalar with a value. */
export function pairKey(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k) && k.value !== null && k.value !== undefined) return String(k.value);
  return undefined;
}

/** The text of a scalar node; numbers and booleans are given as written. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.source ?? String(node.value);
}

/**
 * Where the nodes of one document stand, as a person sees them in the editor:
 * the ranges problems are reported on. Offsets are clamped to the text.
 */
export class NodeRanges {
  constructor(readonly text: string) {}

  /**
   * Offsets of a node as a person sees it: a quoted scalar without its quotes,
   * a mapping or list without trailing blank lines, and an empty value as the
   * `-` or `:` before it (so the range is never invisible).
   */
  range(node: unknown): { start: number; end: number } {
    const r = (node as Node | null | undefined)?.range;
    if (!r) return { start: 0, end: 0 };
    const text = this.text;
    let start = Math.min(r[0], text.length);
    let end = Math.max(start, Math.min(r[1], text.length));
    if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
      const q = node.type === 'QUOTE_DOUBLE' ? '"' : "'";
      if (end - start >= 2 && text[start] === q && text[end - 1] === q) {
        start++;
        end--;
      } else if (text[start] === q) {
        start++; // an unclosed quote: the value runs to the end of the node
      }
      return { start, end };
    }
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    if (end === start) return this.pointRange(start);
    return { start, end };
  }

  /** Offsets of a node as written, quotes included. */
  rawRange(node: Node): { start: number; end: number } {
    const r = node.range;
    if (!r) return { start: 0, end: 0 };
    const start = Math.min(r[0], this.text.length);
    return { start, end: Math.max(start, Math.min(r[1], this.text.length)) };
  }

  /** From the node's start to the end of its first line: for problems about a whole mapping or list. */
  headRange(node: unknown): { start: number; end: number } {
    const { start, end } = this.range(node);
    let i = start;
    const text = this.text;
    while (i < end && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    return i > start ? { start, end: i } : { start, end };
  }

  /** A zero-width offset widened to the `-` or `:` just before it on its line, when there is one. */
  pointRange(offset: number): { start: number; end: number } {
    const text = this.text;
    let i = offset - 1;
    while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
    const c = i >= 0 ? text[i] : '';
    if (c === '-' || c === ':' || c === '?') return { start: i, end: i + 1 };
    return { start: offset, end: offset };
  }

  /** Where a problem about a field's value goes: a scalar value itself, otherwise the key. */
  valueOrKeyRange(pair: Pair): { start: number; end: number } {
    const v = pair.value;
    if (isScalar(v) && v.value !== null && v.value !== undefined) return this.range(v);
    if (isAlias(v)) return this.range(v);
    return this.range(pair.key);
  }

  /** Where a problem about a mapping with no ID to point at goes: its first key, else its first line. */
  missingRange(map: YAMLMap): { start: number; end: number } {
    const first = map.items[0];
    if (first && first.key) return this.headRange(first.key);
    return this.headRange(map);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
