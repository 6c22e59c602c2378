import type { JsonObject } from '../designer/types';
import type { FlowDesign } from './types';

/**
 * toFlow writes the designer's model back as a flow definition: members in the order
 * they were read, nodes and edges in place. A list the model did not take out is kept
 * unless nodes or edges were added meanwhile.
 *
 * @example
 * toFlow(fromFlow(body)) // equal to body, key order included
 */
export function toFlow(design: FlowDesign): JsonObject {
  const out: JsonObject = {};
  const lists = {
    nodes: design.owns.nodes || design.nodes.length > 0 ? design.nodes.map((n) => n.raw) : undefined,
    edges: design.owns.edges || design.edges.length > 0 ? design.edges.map((e) => e.raw) : undefined,
  };
  for (const [key, value] of Object.entries(design.rest)) {
    if (key === 'nodes' || key === 'edges') {
      const list = lists[key];
      if (list !== undefined) out[key] = list;
      else out[key] = value;
      continue;
    }
    out[key] = value;
  }
  for (const key of ['nodes', 'edges'] as const) {
    const list = lists[key];
    if (list !== undefined && !(key in out)) out[key] = list;
  }
  return out;
}
