import { COMMAND_REFUSED } from '../../server/src/protocol';

/**
 * Small display helpers of the views, tooltips and messages. Everything they format comes from
 * the server; these only decide how a number or a piece of study text looks in the editor.
 */

/** A coverage percentage as the reports write it; `—` when nothing was expected. */
export function formatPercent(p: number | null): string {
  return p === null ? '—' : `${p}%`;
}

/** `asked/expected (percent)`, as the Coverage view and the report show a transcript's or guide's coverage. */
export function coverageLabel(t: { asked: number; expected: number; percent: number | null }): string {
  return `${t.asked}/${t.expected} (${formatPercent(t.percent)})`;
}

/** One line of at most `max` characters: runs of white space made one space, an ellipsis where cut. */
export function truncate(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `1 segment`, `2 segments`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Study text as text in a webview page: every character HTML could read as markup escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Study text shown as itself in Markdown (a tooltip): every character Markdown could read as markup escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!<>|~&])/g, '\\$1');
}

/** The server's words when it refused (written for the user as they stand); other failures prefixed with what failed. */
export function commandFailure(what: string, err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (err as { code?: unknown } | undefined)?.code === COMMAND_REFUSED ? text : `Could not ${what}: ${text}`;
}
