import type { FieldProblem } from '../api/apiError';
import { decodePointer } from './decodePointer';
import type { FlowDesign } from './types';

/** ByMember are the problems of one thing by the member path they are about ("sla/after"; "" for the thing itself). */
export type ByMember = Record<string, FieldProblem[]>;

/** FlowProblems places the server's problems of a flow on what the designer shows. */
export interface FlowProblems {
  /** flow holds the flow's own members (key, form, name…) and what is placed nowhere else (""). */
  flow: ByMember;
  /** nodes and edges hold the problems of each item by its handle. */
  nodes: Record<string, ByMember>;
  edges: Record<string, ByMember>;
  count: number;
}

/**
 * locateFlowProblems places each problem the server located by JSON pointer in the
 * definition written from design on the node, edge or flow member it is about:
 * "/nodes/8/sla/after" is that node's SLA duration, "/edges/13/condition" that edge's
 * condition, "/nodes/5" the node as a whole (no path reaches it…). Placed on handles,
 * problems stay with their node through a rename.
 *
 * @example
 * locateFlowProblems([{ path: '/edges/13/condition', code: 'cel_syntax', message: '…' }], design).edges[h].condition
 */
export function locateFlowProblems(problems: readonly FieldProblem[], design: FlowDesign): FlowProblems {
  const map: FlowProblems = { flow: {}, nodes: {}, edges: {}, count: problems.length };
  for (const p of problems) {
    const [head, index, ...member] = decodePointer(p.path);
    const list = head === 'nodes' ? design.nodes : head === 'edges' ? design.edges : undefined;
    const item = list && index !== undefined && /^\d+$/.test(index) ? list[Number(index)] : undefined;
    if (!item) {
      const key = head === 'nodes' || head === 'edges' || head === undefined ? (head ?? '') : [head, index, ...member].filter((s) => s !== undefined).join('/');
      (map.flow[key] ??= []).push(p);
      continue;
    }
    const bucket = head === 'nodes' ? (map.nodes[item.handle] ??= {}) : (map.edges[item.handle] ??= {});
    (bucket[member.join('/')] ??= []).push(p);
  }
  return map;
}
