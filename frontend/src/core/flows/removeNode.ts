import type { FlowDesign } from './types';

/**
 * removeNode takes a node out of the flow with every edge that enters or leaves it.
 *
 * @example
 * removeNode(design, 'n4').edges // without the edges of n4's id
 */
export function removeNode(design: FlowDesign, handle: string): FlowDesign {
  const node = design.nodes.find((n) => n.handle === handle);
  if (!node) return design;
  const id = node.raw['id'];
  const edges = design.edges.filter((e) => e.raw['from'] !== id && e.raw['to'] !== id);
  return { ...design, nodes: design.nodes.filter((n) => n !== node), edges };
}
