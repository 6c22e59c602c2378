import { newId } from '../designer/newId';
import { isObject } from '../designer/isObject';
import type { Json, JsonObject } from '../designer/types';
import type { Item } from './types';

/**
 * takeItems reads a list member of a definition (a flow's nodes, a rule set's rules) as
 * items with handles, when it is a list of objects; anything else (absent, or a
 * half-done draft's odd list) is null and stays where it was.
 *
 * @example
 * takeItems([{ id: 'intake', type: 'start' }]) // [{ handle: 'n1', raw: { id: 'intake', type: 'start' } }]
 * takeItems('oops') // null
 */
export function takeItems(list: Json | undefined): Item[] | null {
  if (!Array.isArray(list) || !list.every((x) => isObject(x))) return null;
  return (list as JsonObject[]).map((raw) => ({ handle: newId(), raw }));
}
