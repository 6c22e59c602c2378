import { asList } from './asList';
import { asObject } from './asObject';
import type { JsonObject } from './types';

/**
 * updateWidget returns the dashboard with widget index replaced by what edit makes of it.
 *
 * @example
 * updateWidget(body, 2, (w) => withMember(w, 'limit', 10))
 */
export function updateWidget(body: JsonObject, index: number, edit: (w: JsonObject) => JsonObject): JsonObject {
  const widgets = asList(body['widgets']);
  if (index < 0 || index >= widgets.length) return body;
  return { ...body, widgets: widgets.map((w, i) => (i === index ? edit(asObject(w)) : w)) };
}
