import type { Json, JsonObject } from './types';

/**
 * asObject is a JSON value as an object: itself when it is one, else an empty object.
 *
 * @example
 * asObject(['a']) // {}
 */
export function asObject(v: Json | undefined): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}
