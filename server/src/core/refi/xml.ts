/** A small XML writer: enough for the REFI-QDA files, with escaping done in one place. */

/** Characters XML 1.0 forbids even as references (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/F). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be matched
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content: `&`, `<`, `>` escaped; characters XML cannot hold become spaces. */
export function escapeText(s: string): string {
  return s.replace(FORBIDDEN, ' ').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** An attribute value: as text, plus quotes, and whitespace kept as references (parsers would fold it). */
export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/["\t\n\r]/g, (c) => ({ '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

export type Attributes = Record<string, string | number | boolean | undefined>;

function attrs(a: Attributes): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined) out += ` ${k}="${escapeAttribute(String(v))}"`;
  return out;
}

/** Builds an indented document line by line; text-only elements stay on one line so their text is exact. */
export class XmlWriter {
  private readonly out: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  private readonly stack: string[] = [];

  private indent(): string {
    return '  '.repeat(this.stack.length);
  }

  open(name: string, a: Attributes = {}): this {
    this.out.push(`${this.indent()}<${name}${attrs(a)}>`);
    this.stack.push(name);
    return this;
  }

  close(): this {
    const name = this.stack.pop();
    this.out.push(`${this.indent()}</${name}>`);
    return this;
  }

  empty(name: string, a: Attributes = {}): this {
    this.out.push(`${this.indent()}<${name}${attrs(a)}/>`);
    return this;
  }

  text(name: string, text: string, a: Attributes = {}): this {
    this.out.push(`${this.indent()}<${name}${attrs(a)}>${escapeText(text)}</${name}>`);
    return this;
  }

  toString(): string {
    while (this.stack.length) this.close();
    return `${this.out.join('\n')}\n`;
  }
}
