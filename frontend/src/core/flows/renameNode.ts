import { setKey } from '../designer/setKey';
import type { FlowDesign } from './types';

/**
 * renameNode changes a node's id and every edge that names it, so the flow keeps its
 * shape. When another node has the old id too, the edges stay with that id: they are
 * not this node's alone.
 *
 * @example
 * renameNode(design, 'n9', 'credit_check') // edges from/to the old id now name credit_check
 */
export function renameNode(design: FlowDesign, handle: string, id: string): FlowDesign {
  const node = design.nodes.find((n) => n.handle === handle);
  if (!node) return design;
  const old = node.raw['id'];
  const shared = design.nodes.some((n) => n !== node && n.raw['id'] === old);
  const nodes = design.nodes.map((n) => (n === node ? { ...n, raw: setKey(n.raw, 'id', id) } : n));
  if (shared || typeof old !== 'string' || old === '') return { ...design, nodes };
  const edges = design.edges.map((e) => {
    let raw = e.raw;
    if (raw['from'] === old) raw = setKey(raw, 'from', id);
    if (raw['to'] === old) raw = setKey(raw, 'to', id);
    return raw === e.raw ? e : { ...e, raw };
  });
  return { ...design, nodes, edges };
}
