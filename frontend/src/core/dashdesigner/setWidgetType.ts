import { asList } from './asList';
import { groupCount } from './groupCount';
import { newWidget, type WidgetWords } from './newWidget';
import type { Json, JsonObject, WidgetType } from './types';
import { withMember } from './withMember';

/**
 * setWidgetType changes a widget's type and what the new type needs: a funnel takes
 * stages instead of measures and group keys; the other types keep their measures and
 * get as many group keys as they take (kept from the old ones, empty ones added).
 *
 * @example
 * setWidgetType(bar, 'kpi', words) // the bar's measures, no group_by
 */
export function setWidgetType(w: JsonObject, type: WidgetType, words: WidgetWords): JsonObject {
  let out = withMember(w, 'type', type);
  const fresh = newWidget(type, String(w['form'] ?? ''), [], words);
  if (type === 'funnel') {
    for (const k of ['measures', 'group_by', 'sort', 'limit']) out = withMember(out, k, undefined);
    return asList(out['stages']).length >= 2 ? out : withMember(out, 'stages', fresh['stages']);
  }
  out = withMember(out, 'stages', undefined);
  if (asList(out['measures']).length === 0) out = withMember(out, 'measures', fresh['measures']);
  const [least, most] = groupCount(type);
  const groups: Json[] = asList(w['group_by']).slice(0, most);
  while (groups.length < least) groups.push({ field: '' });
  return withMember(out, 'group_by', groups.length > 0 ? groups : undefined);
}
