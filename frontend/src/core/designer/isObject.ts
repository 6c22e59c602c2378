import type { Json, JsonObject } from './types';

/**
 * isObject reports whether a JSON value is an object (not an array, not null).
 *
 * @example
 * isObject({ type: 'string' }) // true
 * isObject(['a']) // false
 */
export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
