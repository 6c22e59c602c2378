import type { JsonObject } from '../designer/types';
import type { FlowDesign } from './types';

/**
 * connectNodes adds an edge from one node to another with what its source needs: the
 * first edge leaving a gateway is its default (the others need a condition), an edge
 * leaving an approval takes the decision no other edge takes yet. An edge to the node
 * itself, or one that is there already, is not added.
 *
 * @example
 * connectNodes(design, 'risk_gate', 'manual_review', 'e31')
 */
export function connectNodes(design: FlowDesign, from: string, to: string, handle: string): FlowDesign {
  if (from === to || design.edges.some((e) => e.raw['from'] === from && e.raw['to'] === to)) return design;
  const source = design.nodes.find((n) => n.raw['id'] === from);
  const leaving = design.edges.filter((e) => e.raw['from'] === from);
  const raw: JsonObject = { from, to };
  switch (source?.raw['type']) {
    case 'gateway':
      if (!leaving.some((e) => e.raw['default'] === true)) raw['default'] = true;
      break;
    case 'approval': {
      const decision = ['approve', 'reject'].find((d) => !leaving.some((e) => e.raw['decision'] === d));
      if (decision) raw['decision'] = decision;
      break;
    }
  }
  return { ...design, edges: [...design.edges, { handle, raw }] };
}
