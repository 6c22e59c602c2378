// The flow designer's model of a flow definition (schemas/flow.schema.json): its nodes
// and edges taken out of the definition JSON, each kept whole as stored, and the rest of
// the definition kept as it came. toFlow puts them back in their places, so a flow read
// and written unchanged is the same JSON, members the designer does not know included.

import type { JsonObject } from '../designer/types';

/** Item is one node or edge as stored, with the designer's own handle on it. */
export interface Item {
  /** handle follows the item through renames and moves; it never reaches the definition. */
  handle: string;
  raw: JsonObject;
}

/** FlowDesign is a flow definition as the designer edits it. */
export interface FlowDesign {
  /** rest is the definition as read; its nodes and edges members are replaced on the way out. */
  rest: JsonObject;
  nodes: Item[];
  edges: Item[];
  /** owns says which lists were taken out (a list of anything but objects stays in rest). */
  owns: { nodes: boolean; edges: boolean };
}

/** NodeType is a node type of the format. */
export type NodeType = 'start' | 'end' | 'approval' | 'task' | 'gateway' | 'parallel' | 'join' | 'action' | 'timer';

/** ActionDo is what an action node does. */
export type ActionDo = 'score' | 'fraud' | 'set_fields' | 'start_flow' | 'webhook';

/** Position is where a node sits on the canvas; the format keeps it in the node's optional position member. */
export interface Position {
  x: number;
  y: number;
}
