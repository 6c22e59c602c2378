import { isObject } from './isObject';
import { setKey } from './setKey';
import type { Json } from './types';

/**
 * updateRequired rewrites the required list of an object schema with fn (the form's
 * schema for its fields, a sub-table's items for its columns). An empty list is
 * removed; anything that is not an object schema is returned as it is.
 *
 * @example
 * updateRequired(schema, (names) => [...names, 'mobile_phone'])
 */
export function updateRequired(schema: Json | undefined, fn: (names: Json[]) => Json[]): Json | undefined {
  if (!isObject(schema)) return schema;
  const before = Array.isArray(schema['required']) ? schema['required'] : [];
  const after = fn(before);
  if (after.length === before.length && after.every((n, i) => n === before[i])) return schema;
  return setKey(schema, 'required', after.length > 0 ? after : undefined);
}
