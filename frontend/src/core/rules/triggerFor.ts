import { setKey } from '../designer/setKey';
import { isObject } from '../designer/isObject';
import type { Json, JsonObject } from '../designer/types';

/** TRIGGERS are the events a rule listens to. */
export const TRIGGERS = ['record.created', 'record.updated', 'field.changed', 'flow.node_entered', 'flow.node_left', 'schedule'] as const;

/** Which members each trigger takes; the others go when the trigger changes. */
const MEMBERS: Record<string, readonly string[]> = {
  'field.changed': ['fields'],
  'flow.node_entered': ['flow', 'node'],
  'flow.node_left': ['flow', 'node'],
  schedule: ['cron', 'timezone'],
};

/**
 * triggerFor changes what a rule listens to: members the new event does not take go,
 * those it needs are added empty (or kept, from flow entered to flow left).
 *
 * @example
 * triggerFor({ on: 'record.created' }, 'schedule') // { on: 'schedule', cron: '' }
 */
export function triggerFor(trigger: Json | undefined, on: string): JsonObject {
  let out = setKey(isObject(trigger) ? trigger : {}, 'on', on);
  const takes = MEMBERS[on] ?? [];
  for (const member of ['fields', 'flow', 'node', 'cron', 'timezone']) {
    if (!takes.includes(member)) out = setKey(out, member, undefined);
  }
  if (on === 'field.changed' && !Array.isArray(out['fields'])) out = setKey(out, 'fields', []);
  if (takes.includes('flow')) for (const m of ['flow', 'node']) if (typeof out[m] !== 'string') out = setKey(out, m, '');
  if (on === 'schedule' && typeof out['cron'] !== 'string') out = setKey(out, 'cron', '');
  return out;
}
