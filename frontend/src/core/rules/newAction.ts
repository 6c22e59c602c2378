import type { JsonObject } from '../designer/types';

/** ACTION_TYPES are the actions a rule can take, in the order offered. */
export const ACTION_TYPES = ['set_field', 'reject', 'flag', 'create_task', 'start_flow', 'call_plugin', 'notify', 'add_to_list'] as const;

export type ActionType = (typeof ACTION_TYPES)[number];

/**
 * newAction makes an action of a type with the members it needs, empty where only the
 * person can say (the server names what is still missing on save).
 *
 * @example
 * newAction('notify') // { type: 'notify', channel: 'in_app', to: '', template: '' }
 */
export function newAction(type: ActionType): JsonObject {
  switch (type) {
    case 'set_field':
      return { type, field: '', value: '' };
    case 'reject':
      return { type, reason: {} };
    case 'flag':
      return { type, flag: '' };
    case 'create_task':
      return { type, role: '', title: {} };
    case 'start_flow':
      return { type, flow: '' };
    case 'call_plugin':
      return { type, kind: 'scorer' };
    case 'notify':
      return { type, channel: 'in_app', to: '', template: '' };
    case 'add_to_list':
      return { type, list: '', field: '' };
  }
}
