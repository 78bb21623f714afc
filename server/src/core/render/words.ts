/** Words for counts in messages and summaries. */

/** `1 code`, `3 codes`; `many` for a plural that is not the word with an s. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
