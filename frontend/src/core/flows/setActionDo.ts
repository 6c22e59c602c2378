import { setKey } from '../designer/setKey';
import { actionMembers } from './actionMembers';
import { ACTION_MEMBERS } from './nodeTypes';
import type { ActionDo, FlowDesign } from './types';

/**
 * setActionDo changes what an action node does: the members only the old action took
 * go (the server refuses them on the new one) and the new action's own are added.
 *
 * @example
 * setActionDo(design, 'n5', 'webhook') // values and exprs gone, url: '' added
 */
export function setActionDo(design: FlowDesign, handle: string, action: ActionDo): FlowDesign {
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      if (n.handle !== handle) return n;
      let raw = n.raw;
      for (const [member, takers] of Object.entries(ACTION_MEMBERS)) {
        if (!takers.includes(action)) raw = setKey(raw, member, undefined);
      }
      for (const [member, value] of Object.entries(actionMembers(action))) {
        if (member === 'do' || !(member in raw)) raw = setKey(raw, member, value);
      }
      return { ...n, raw };
    }),
  };
}
