import { asList } from './asList';
import { asObject } from './asObject';
import type { JsonObject } from './types';

/**
 * widgetIds lists a dashboard's widget ids, in order.
 *
 * @example
 * widgetIds(cockpit) // ["application_funnel", "headline", …]
 */
export function widgetIds(body: JsonObject): string[] {
  return asList(body['widgets']).map((w) => String(asObject(w)['id'] ?? ''));
}
