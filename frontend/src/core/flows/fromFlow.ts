import { takeItems } from './takeItems';
import type { JsonObject } from '../designer/types';
import type { FlowDesign } from './types';

/**
 * fromFlow reads a flow definition into the designer's model: nodes and edges as items,
 * the rest as it came. The body given is not changed.
 *
 * @example
 * const design = fromFlow(body);
 * design.nodes.map((n) => n.raw['id']) // ["intake", "checks", …]
 */
export function fromFlow(body: JsonObject): FlowDesign {
  const nodes = takeItems(body['nodes']);
  const edges = takeItems(body['edges']);
  return { rest: body, nodes: nodes ?? [], edges: edges ?? [], owns: { nodes: nodes !== null, edges: edges !== null } };
}
