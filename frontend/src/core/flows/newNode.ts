import { uniqueName } from '../designer/uniqueName';
import type { JsonObject, Localized } from '../designer/types';
import { actionMembers } from './actionMembers';
import type { ActionDo, NodeType } from './types';

/**
 * newNode makes a node of a type with an id no other node has and the members the type
 * needs: people for approval and task steps (a role still to name), what an action
 * does, how long a timer waits. What is left to fill in the server names on save.
 *
 * @example
 * newNode('approval', ['intake'], { en: 'Approval' }) // { id: 'approval', type: 'approval', name: {…}, candidates: [{ role: '' }] }
 */
export function newNode(type: NodeType, taken: readonly string[], name: Localized, action: ActionDo = 'set_fields'): JsonObject {
  const base = type === 'action' ? action : type;
  const node: JsonObject = { id: uniqueName(base, taken).slice(0, 63), type, name };
  switch (type) {
    case 'approval':
      return { ...node, candidates: [{ role: '' }], mode: 'any' };
    case 'task':
      return { ...node, candidates: [{ role: '' }] };
    case 'action':
      return { ...node, ...actionMembers(action) };
    case 'timer':
      return { ...node, after: '1d' };
  }
  return node;
}
