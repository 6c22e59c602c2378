import { layoutFlow } from './layoutFlow';
import { nodePosition } from './nodePosition';
import type { FlowDesign, Position } from './types';

/**
 * placeNodes says where the canvas draws each node, by handle: where its stored
 * position puts it, else where the layered layout of the edges does.
 *
 * @example
 * placeNodes(design)[design.nodes[0].handle] // { x: 115, y: 0 }
 */
export function placeNodes(design: Pick<FlowDesign, 'nodes' | 'edges'>): Record<string, Position> {
  const ids = design.nodes.map((n) => String(n.raw['id'] ?? n.handle));
  const auto = layoutFlow(ids, design.edges.map((e) => ({ from: String(e.raw['from']), to: String(e.raw['to']) })));
  const out: Record<string, Position> = {};
  design.nodes.forEach((n, i) => {
    out[n.handle] = nodePosition(n.raw) ?? auto[ids[i]!] ?? { x: 0, y: 0 };
  });
  return out;
}
