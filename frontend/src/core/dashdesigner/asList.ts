import type { Json } from './types';

/**
 * asList is a JSON value as an array: itself when it is one, else an empty list.
 *
 * @example
 * asList(undefined) // []
 */
export function asList(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}
