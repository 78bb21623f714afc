/** "Did you mean …": the known names nearest to what was written. */
import { distance } from 'fastest-levenshtein';

/**
 * Up to `max` candidates within a small edit distance of `written`, nearest first.
 * For code paths, a candidate also matches by its last segment, so `#family`
 * suggests `benefit/family`.
 */
export function suggestions(written: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.min(3, Math.floor(written.length / 3)));
  const lower = written.toLowerCase();
  const scored: { name: string; d: number }[] = [];
  for (const name of candidates) {
    if (name === written) continue;
    let d = distance(lower, name.toLowerCase());
    const slash = name.lastIndexOf('/');
    if (slash >= 0 && !written.includes('/')) d = Math.min(d, distance(lower, name.slice(slash + 1).toLowerCase()) + 1);
    if (d <= limit) scored.push({ name, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, max).map((s) => s.name);
}

/**
 * " Did you mean `@a` or `@b`?" — or '' when there is nothing to suggest. `quote`
 * writes one name: in backticks for messages, as a Markdown code span for hovers.
 */
export function didYouMean(names: string[], sigil = '', quote: (name: string) => string = (n) => `\`${n}\``): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => quote(`${sigil}${n}`));
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}
