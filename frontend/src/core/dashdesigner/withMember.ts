import type { Json, JsonObject } from './types';

/**
 * withMember returns a copy of obj with key set to value, or removed when value is
 * undefined; the other members keep their order.
 *
 * @example
 * withMember({ op: 'sum', field: 'amount' }, 'field', undefined) // { op: "sum" }
 */
export function withMember(obj: JsonObject, key: string, value: Json | undefined): JsonObject {
  const out: JsonObject = { ...obj };
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out;
}
