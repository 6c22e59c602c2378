import type { Json, JsonObject } from './types';

/**
 * setKey returns a copy of obj with key set to value, or without key when value is
 * undefined; a key already there keeps its place. Keys are defined, never assigned, so
 * a name like "__proto__" stays an ordinary key.
 *
 * @example
 * setKey({ type: 'string' }, 'pattern', '^1\\d{10}$') // { type: 'string', pattern: '^1\\d{10}$' }
 * setKey({ type: 'string', pattern: 'x' }, 'pattern', undefined) // { type: 'string' }
 */
export function setKey(obj: JsonObject, key: string, value: Json | undefined): JsonObject {
  const entries = Object.entries(obj).filter(([k]) => k !== key || value !== undefined);
  if (value === undefined) return Object.fromEntries(entries);
  const at = entries.findIndex(([k]) => k === key);
  if (at >= 0) entries[at] = [key, value];
  else entries.push([key, value]);
  return Object.fromEntries(entries);
}
