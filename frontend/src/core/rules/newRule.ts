import { uniqueName } from '../designer/uniqueName';
import type { JsonObject, Localized } from '../designer/types';

/**
 * newRule makes a rule under a key no other rule has: fired when a record is created,
 * with a visual condition still to fill in and a flag as its action, the smallest rule
 * the format accepts once the condition names a field.
 *
 * @example
 * newRule(['score_floor'], { en: 'New rule' }) // { key: 'rule', title: {…}, trigger: { on: 'record.created' }, … }
 */
export function newRule(taken: readonly string[], title: Localized): JsonObject {
  const key = uniqueName('rule', taken);
  return {
    key,
    title,
    trigger: { on: 'record.created' },
    condition: { all: [] },
    actions: [{ type: 'flag', flag: key }],
  };
}
