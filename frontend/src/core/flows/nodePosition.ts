import { isObject } from '../designer/isObject';
import type { JsonObject } from '../designer/types';
import type { Position } from './types';

/**
 * nodePosition reads where a stored node says the canvas draws it (its position
 * member, two finite numbers), or undefined when it says nothing usable, and the layout
 * places it.
 *
 * @example
 * nodePosition({ id: 'start', type: 'start', position: { x: 115, y: 0 } }) // { x: 115, y: 0 }
 */
export function nodePosition(raw: JsonObject): Position | undefined {
  const p = raw['position'];
  if (!isObject(p)) return undefined;
  const { x, y } = p;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
}
