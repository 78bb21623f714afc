// The part of markdown-it (which ships no types) that the Markdown safety tests use.
declare module 'markdown-it' {
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    render(markdown: string): string;
    readonly utils: { escapeHtml(text: string): string };
  }
}
