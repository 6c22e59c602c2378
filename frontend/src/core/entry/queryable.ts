import type { FieldAccess } from '../api/types';

// Widgets whose values are lists or objects: the list API cannot filter or sort on them.
const NOT_SCALAR = new Set(['subtable', 'decision', 'tags', 'attachment']);

/**
 * queryable tells whether the record list may filter and sort on a field: the person
 * reads it in full (a masked field would reveal what the mask hides, so the server
 * refuses it) and it holds one value.
 *
 * @example
 * queryable({ name: 'mobile_phone', view: 'masked', … }) // false
 */
export function queryable(f: FieldAccess): boolean {
  if (f.view !== 'full') return false;
  if (NOT_SCALAR.has(f.widget ?? '')) return false;
  // A checkbox with options holds several choices.
  return !(f.widget === 'checkbox' && f.options && f.options.length > 0);
}
