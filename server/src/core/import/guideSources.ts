/**
 * Readers of guide documents into `GuideBlock`s (see guide.ts): plain text and Markdown, line by line
 * (guides are headings, lists and a few paragraphs; a full Markdown parser would add nothing but
 * weight), and the HTML that mammoth makes of a Word document (headings, lists with their nesting,
 * italics), read with fast-xml-parser.
 */
import { XMLParser } from 'fast-xml-parser';
import type { GuideBlock } from './guide';
import { decodeEntities, splitLines } from './turns';

/** A bullet or list number at the start of a line, with what follows it. */
const ITEM = /^([ \t]*)(?:([·•◦▪▫‣⁃∙○●■□–—*+-]|o(?=[ \t]))|(\d{1,3}[.)]|[a-z][.)]|\((?:\d{1,3}|[a-z])\)))[ \t]+(.*)$/u;
/** A line that states a question number: `[Q2.1] …`, `Q3. …`, `2.1 …`. */
const NUMBERED = /^([ \t]*)(\[\s*\p{L}{0,3}\d+(?:\.\d+)*[a-z]?\s*\]|Q\d+(?:\.\d+)*[a-z]?[.:)]?|\d+\.\d+(?:\.\d+)*[.:)]?)[ \t]+\S/u;
/** Sub-level bullets, as Word writes them when a guide is saved as text. */
const SUB_BULLETS = new Set(['o', '◦', '▪', '▫', '○', '–', '-']);

function indentWidth(s: string): number {
  let w = 0;
  for (const c of s) w += c === '\t' ? 4 : 1;
  return w;
}

/** Markdown's inline markup taken away: `**b**`, `*i*`, `_i_`, `` `c` ``, `[text](url)`, backslash escapes, entities. */
function plainMarkdown(s: string): string {
  return decodeEntities(s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])([*_])(?=\S)(.+?)(?<=\S)\2(?![\w*])/g, '$1$3')
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, '$1'));
}

/** Whether the whole of `s` is in Markdown italics (`*…*` or `_…_`, not bold). */
function markdownItalic(s: string): boolean {
  const t = s.trim();
  return /^\*(?!\*)\S(?:.*\S)?\*$/.test(t) || /^_(?!_)\S(?:.*\S)?_$/.test(t);
}

/** Whether a plain-text line reads as a heading: Markdown's `#`, all capitals, or `Section 2: …`/`Part B`. */
function textHeading(line: string): { level: number; text: string } | undefined {
  const md = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/.exec(line);
  if (md) return { level: md[1].length, text: md[2] };
  const t = line.trim();
  const letters = t.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase() && t.length <= 100 && !t.endsWith('?')) return { level: 2, text: t };
  if (/^(section|part)\s+[\p{L}\p{N}]{1,4}\b/iu.test(t) && t.length <= 100 && !t.endsWith('?')) return { level: 2, text: t };
  return undefined;
}

/**
 * The blocks of a guide written as plain text or Markdown (`markdown`: take inline markup away). Nesting
 * comes from indentation (a deeper item is a follow-up), and from Word's sub-level bullets (`o`, `◦`, `–`)
 * under first-level ones.
 */
export function blocksFromText(text: string, markdown: boolean): GuideBlock[] {
  const blocks: GuideBlock[] = [];
  const indents: number[] = [];
  let topGlyph: string | undefined;
  let blankBefore = true;
  const inline = (s: string): string => (markdown ? plainMarkdown(s) : s).trim();
  for (const raw of splitLines(text.replace(/^\uFEFF/, ''))) {
    if (raw.trim() === '') { blankBefore = true; continue; }
    const item = ITEM.exec(raw);
    const numbered = !item && NUMBERED.exec(raw);
    const last = blocks[blocks.length - 1];
    if (item || numbered) {
      const indent = indentWidth((item ?? numbered as RegExpExecArray)[1]);
      while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
      let depth = indents.length - 1;
      const glyph = item ? item[2] ?? (/^[a-z]/.test(item[3] ?? '') || (item[3] ?? '').startsWith('(') ? 'a)' : '1.') : '1.';
      if (depth === 0) {
        topGlyph ??= glyph;
        if (glyph !== topGlyph && (SUB_BULLETS.has(glyph) || glyph === 'a)')) depth = 1;
      }
      const body = item ? item[4] : raw.trim();
      blocks.push({ kind: 'item', depth, text: inline(body), emphasis: markdown && markdownItalic(body) });
    } else if (!blankBefore && last?.kind === 'item' && /^[ \t]+\S/.test(raw)) {
      last.text = `${last.text} ${inline(raw)}`; // an item's text wrapped onto an indented line
    } else {
      const heading = textHeading(raw);
      if (heading && (markdown ? raw.startsWith('#') : true)) blocks.push({ kind: 'heading', level: heading.level, text: inline(heading.text) });
      else blocks.push({ kind: 'text', text: inline(raw), emphasis: markdown && markdownItalic(raw) });
      indents.length = 0;
    }
    blankBefore = false;
  }
  return blocks;
}

type XmlNode = Record<string, unknown>;

/** The element name of a node of fast-xml-parser's ordered output, or '#text'. */
function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function childrenOf(node: XmlNode): XmlNode[] {
  const v = node[tagOf(node)];
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

/** The text of `nodes`, and whether every letter of it is in italics. Nested lists are left out (`stopAtLists`). */
function textOf(nodes: XmlNode[], stopAtLists: boolean, italic = false): { text: string; plain: boolean } {
  let text = '';
  let plain = false;
  for (const n of nodes) {
    const tag = tagOf(n);
    if (tag === '#text') {
      const t = String(n['#text']);
      text += t;
      if (!italic && /\p{L}/u.test(t)) plain = true;
    } else if (tag === 'br') text += ' ';
    else if (stopAtLists && (tag === 'ul' || tag === 'ol')) continue;
    else {
      const inner = textOf(childrenOf(n), stopAtLists, italic || tag === 'em' || tag === 'i');
      text += inner.text;
      plain ||= inner.plain;
    }
  }
  return { text, plain };
}

/** The blocks of the HTML mammoth makes of a Word document. */
export function blocksFromHtml(html: string): GuideBlock[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, processEntities: true, htmlEntities: true, trimValues: false, parseTagValue: false });
  let tree: XmlNode[];
  try {
    tree = parser.parse(`<root>${html}</root>`) as XmlNode[];
  } catch {
    // mammoth writes well-formed HTML; should it not, the text alone still gives the questions.
    return blocksFromText(html.replace(/<[^>]*>/g, '\n'), false);
  }
  const blocks: GuideBlock[] = [];
  const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const walk = (nodes: XmlNode[], depth: number): void => {
    for (const n of nodes) {
      const tag = tagOf(n);
      const heading = /^h([1-6])$/.exec(tag);
      if (heading) blocks.push({ kind: 'heading', level: Number(heading[1]), text: clean(textOf(childrenOf(n), false).text) });
      else if (tag === 'ul' || tag === 'ol') {
        for (const li of childrenOf(n)) {
          if (tagOf(li) !== 'li') continue;
          const t = textOf(childrenOf(li), true);
          if (clean(t.text) !== '') blocks.push({ kind: 'item', depth, text: clean(t.text), emphasis: !t.plain });
          walk(childrenOf(li).filter((c) => tagOf(c) === 'ul' || tagOf(c) === 'ol'), depth + 1);
        }
      } else if (tag === 'p') {
        const t = textOf(childrenOf(n), false);
        if (clean(t.text) !== '') blocks.push(...paragraphBlocks(clean(t.text), !t.plain));
      } else if (tag !== '#text') walk(childrenOf(n), depth);
    }
  };
  walk(tree.length > 0 ? childrenOf(tree[0]) : [], 0);
  return blocks;
}

/** A Word paragraph that is no list item may still begin with a typed bullet or number (`· How …`, `[Q2] …`). */
function paragraphBlocks(text: string, emphasis: boolean): GuideBlock[] {
  const read = blocksFromText(text, false);
  if (read.length === 1 && read[0].kind !== 'text') return read;
  return [{ kind: 'text', text, emphasis }];
}
