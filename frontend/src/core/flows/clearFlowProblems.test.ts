import { clearFlowProblems } from './clearFlowProblems';
import type { FlowProblems } from './locateFlowProblems';

const p = (code: string) => ({ path: '', code, message: code });

describe('clearFlowProblems', () => {
  const start: FlowProblems = {
    flow: { nodes: [p('missing_end')], 'name/en': [p('minLength')] },
    nodes: { n1: { 'sla/after': [p('duration')], sla: [p('required')], '': [p('out_edges')], mode: [p('enum')] } },
    edges: { e1: { condition: [p('cel_syntax')] } },
    count: 7,
  };

  it('drops the problems of the member edited and what lies inside it', () => {
    const out = clearFlowProblems(start, { kind: 'setNode', handle: 'n1', path: ['sla'], value: undefined });
    expect(Object.keys(out.nodes['n1']!)).toEqual(['', 'mode']);
    expect(clearFlowProblems(start, { kind: 'setEdge', handle: 'e1', path: ['condition'], value: 'true' }).edges['e1']).toEqual({});
    expect(Object.keys(clearFlowProblems(start, { kind: 'setFlow', member: 'name', value: undefined }).flow)).toEqual(['nodes']);
  });

  it('drops a node’s problems as a whole when edges change', () => {
    const out = clearFlowProblems(start, { kind: 'connect', handle: 'e2', from: 'a', to: 'b' });
    expect(Object.keys(out.nodes['n1']!)).toEqual(['sla/after', 'sla', 'mode']);
    expect(out.flow['nodes']).toEqual([]);
    expect(clearFlowProblems(start, { kind: 'removeNode', handle: 'n1' }).nodes).toEqual({});
  });
});
