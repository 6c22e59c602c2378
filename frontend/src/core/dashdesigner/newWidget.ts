import { groupCount } from './groupCount';
import type { JsonObject, WidgetType } from './types';
import { uniqueId } from './uniqueId';

/** WidgetWords are the texts a new widget starts with, per locale. */
export interface WidgetWords {
  title: JsonObject;
  count: JsonObject;
  stage: (n: number) => JsonObject;
}

/**
 * newWidget makes a widget of a type over a form that the server would accept once its
 * group keys name fields: a count measure (or two funnel stages), as many empty group
 * keys as the type takes.
 *
 * @example
 * newWidget('bar', 'loan_application', ['headline'], words) // { id: "bar", type: "bar", form: …, group_by: [{ field: "" }], measures: [{ name: "count", op: "count", … }] }
 */
export function newWidget(type: WidgetType, form: string, taken: readonly string[], words: WidgetWords): JsonObject {
  const w: JsonObject = { id: uniqueId(type, taken), type, title: words.title, form };
  if (type === 'funnel') {
    w['stages'] = [
      { id: 'all', label: words.stage(1) },
      { id: 'stage_2', label: words.stage(2), filter: { field: '', op: 'eq', value: '' } },
    ];
    return w;
  }
  const [groups] = groupCount(type);
  if (groups > 0) w['group_by'] = Array.from({ length: groups }, () => ({ field: '' }));
  w['measures'] = [{ name: 'count', op: 'count', label: words.count }];
  return w;
}
