import type { ActionDo, NodeType } from './types';

/** NODE_TYPES are the node types of the format, in the order the palette offers them. */
export const NODE_TYPES: readonly NodeType[] = ['start', 'approval', 'task', 'gateway', 'parallel', 'join', 'action', 'timer', 'end'];

/** ACTION_DOS are what an action node can do. */
export const ACTION_DOS: readonly ActionDo[] = ['score', 'fraud', 'set_fields', 'start_flow', 'webhook'];

/**
 * ACTION_MEMBERS are the members only some actions take: the server refuses any of them
 * on an action that does not take it.
 */
export const ACTION_MEMBERS: Readonly<Record<string, readonly ActionDo[]>> = {
  field: ['score', 'fraud'],
  rerun: ['score', 'fraud'],
  values: ['set_fields'],
  exprs: ['set_fields'],
  flow: ['start_flow'],
  url: ['webhook'],
  fields: ['webhook'],
};

/**
 * isNodeType tells whether a value is one of the format's node types.
 *
 * @example
 * isNodeType('gateway') // true
 */
export function isNodeType(value: unknown): value is NodeType {
  return typeof value === 'string' && (NODE_TYPES as readonly string[]).includes(value);
}
