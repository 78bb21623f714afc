/**
 * Readers of the parameters requests and commands share. Clients send what they send: anything
 * malformed is left out rather than refused.
 */
import type { CaseFilter } from '../core/coverage';

/** The strings of a list parameter, or undefined when it is missing, malformed or empty. */
export function stringsOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out = value.filter((v): v is string => typeof v === 'string');
  return out.length ? out : undefined;
}

/** `where` as the core's filter: key → accepted values (anything malformed left out). */
export function whereOf(where: unknown): CaseFilter | undefined {
  if (!where || typeof where !== 'object' || Array.isArray(where)) return undefined;
  const filter: CaseFilter = new Map();
  for (const [key, values] of Object.entries(where)) {
    const list = (Array.isArray(values) ? values : [values]).filter((v): v is string => typeof v === 'string');
    if (list.length) filter.set(key, new Set(list));
  }
  return filter.size ? filter : undefined;
}
