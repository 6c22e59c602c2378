import { setKey } from '../designer/setKey';
import type { Json, JsonObject } from '../designer/types';
import { connectNodes } from './connectNodes';
import { removeNode } from './removeNode';
import { renameNode } from './renameNode';
import { setActionDo } from './setActionDo';
import { setPath } from './setPath';
import { nodePosition } from './nodePosition';
import type { ActionDo, FlowDesign, Item, Position } from './types';

/** FlowEdit is one change the flow designer makes. */
export type FlowEdit =
  | { kind: 'addNode'; handle: string; node: JsonObject }
  | { kind: 'removeNode'; handle: string }
  | { kind: 'renameNode'; handle: string; id: string }
  | { kind: 'setNode'; handle: string; path: ReadonlyArray<string | number>; value: Json | undefined }
  | { kind: 'setDo'; handle: string; action: ActionDo }
  | { kind: 'connect'; handle: string; from: string; to: string }
  | { kind: 'removeEdge'; handle: string }
  | { kind: 'setEdge'; handle: string; path: ReadonlyArray<string | number>; value: Json | undefined }
  | { kind: 'setFlow'; member: string; value: Json | undefined }
  /** moveNode stores where the person put a node on the canvas, in whole pixels. */
  | { kind: 'moveNode'; handle: string; at: Position }
  /** arrange drops every stored position, so the layout places all nodes anew. */
  | { kind: 'arrange' };

/**
 * applyFlowEdit returns the flow with one edit made; the flow given is not changed. An
 * edit that changes nothing returns the same object, so it is not an undo step.
 *
 * @example
 * applyFlowEdit(design, { kind: 'setNode', handle: 'n9', path: ['sla', 'after'], value: '24h' })
 */
export function applyFlowEdit(design: FlowDesign, edit: FlowEdit): FlowDesign {
  switch (edit.kind) {
    case 'addNode':
      return { ...design, nodes: [...design.nodes, { handle: edit.handle, raw: edit.node }] };
    case 'removeNode':
      return removeNode(design, edit.handle);
    case 'renameNode':
      return renameNode(design, edit.handle, edit.id);
    case 'setNode':
      return { ...design, nodes: update(design.nodes, edit.handle, (raw) => setPath(raw, edit.path, edit.value)) };
    case 'setDo':
      return setActionDo(design, edit.handle, edit.action);
    case 'connect':
      return connectNodes(design, edit.from, edit.to, edit.handle);
    case 'removeEdge':
      return { ...design, edges: design.edges.filter((e) => e.handle !== edit.handle) };
    case 'setEdge':
      return { ...design, edges: update(design.edges, edit.handle, (raw) => setPath(raw, edit.path, edit.value)) };
    case 'setFlow':
      return { ...design, rest: setKey(design.rest, edit.member, edit.value) };
    case 'moveNode': {
      const at = { x: Math.round(edit.at.x), y: Math.round(edit.at.y) };
      const node = design.nodes.find((n) => n.handle === edit.handle);
      const was = node && nodePosition(node.raw);
      if (!node || (was && was.x === at.x && was.y === at.y)) return design;
      return { ...design, nodes: update(design.nodes, edit.handle, (raw) => setPath(raw, ['position'], at)) };
    }
    case 'arrange':
      if (!design.nodes.some((n) => Object.hasOwn(n.raw, 'position'))) return design;
      return { ...design, nodes: design.nodes.map((n) => (Object.hasOwn(n.raw, 'position') ? { ...n, raw: setPath(n.raw, ['position'], undefined) } : n)) };
  }
}

function update(items: Item[], handle: string, fn: (raw: JsonObject) => JsonObject): Item[] {
  return items.map((i) => (i.handle === handle ? { ...i, raw: fn(i.raw) } : i));
}
