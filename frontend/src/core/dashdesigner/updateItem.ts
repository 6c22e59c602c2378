import { asList } from './asList';
import { asObject } from './asObject';
import { withMember } from './withMember';
import type { JsonObject } from './types';

/**
 * updateItem returns obj with item index of its list member key replaced by what edit
 * makes of it (a measure, a group key, a stage, a filter).
 *
 * @example
 * updateItem(widget, 'measures', 0, (m) => withMember(m, 'op', 'sum'))
 */
export function updateItem(obj: JsonObject, key: string, index: number, edit: (item: JsonObject) => JsonObject): JsonObject {
  const list = asList(obj[key]);
  if (index < 0 || index >= list.length) return obj;
  return withMember(obj, key, list.map((x, i) => (i === index ? edit(asObject(x)) : x)));
}
