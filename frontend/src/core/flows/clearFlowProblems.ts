import type { FlowEdit } from './applyFlowEdit';
import type { ByMember, FlowProblems } from './locateFlowProblems';

/**
 * clearFlowProblems drops the problems an edit answers: those of the member it changed
 * (and of what lies inside it), every problem of a removed node or edge, and the
 * problems of a node or edge as a whole once anything about its edges changes. The
 * server says again on the next save what is still wrong.
 *
 * @example
 * clearFlowProblems(problems, { kind: 'setEdge', handle: 'e7', path: ['condition'], value: 'true' })
 */
export function clearFlowProblems(problems: FlowProblems, edit: FlowEdit): FlowProblems {
  switch (edit.kind) {
    case 'setNode':
      return { ...problems, nodes: drop(problems.nodes, edit.handle, edit.path.join('/')) };
    case 'setEdge':
      return { ...problems, edges: drop(problems.edges, edit.handle, edit.path.join('/')) };
    case 'renameNode':
      return { ...problems, nodes: drop(problems.nodes, edit.handle, 'id') };
    case 'setDo':
      return { ...problems, nodes: without(problems.nodes, edit.handle) };
    case 'removeNode':
      return { ...problems, nodes: without(problems.nodes, edit.handle) };
    case 'removeEdge':
      return { ...problems, edges: without(problems.edges, edit.handle), nodes: wholes(problems.nodes) };
    case 'connect':
      return { ...problems, nodes: wholes(problems.nodes), flow: { ...problems.flow, nodes: [] } };
    case 'setFlow':
      return { ...problems, flow: dropIn(problems.flow, edit.member) };
    case 'moveNode':
      return { ...problems, nodes: drop(problems.nodes, edit.handle, 'position') };
    case 'arrange':
      return { ...problems, nodes: Object.fromEntries(Object.entries(problems.nodes).map(([k, own]) => [k, dropIn(own, 'position')])) };
    case 'addNode':
      return problems;
  }
}

function drop(map: Record<string, ByMember>, handle: string, member: string): Record<string, ByMember> {
  const own = map[handle];
  return own ? { ...map, [handle]: dropIn(own, member) } : map;
}

function dropIn(own: ByMember, member: string): ByMember {
  return Object.fromEntries(Object.entries(own).filter(([k]) => k !== member && !k.startsWith(`${member}/`)));
}

function without(map: Record<string, ByMember>, handle: string): Record<string, ByMember> {
  return Object.fromEntries(Object.entries(map).filter(([k]) => k !== handle));
}

/** wholes drops every node's problems as a whole (out-edges, reachability): edges changed. */
function wholes(map: Record<string, ByMember>): Record<string, ByMember> {
  return Object.fromEntries(Object.entries(map).map(([k, own]) => [k, Object.fromEntries(Object.entries(own).filter(([m]) => m !== ''))]));
}
