import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import type { JsonObject } from '../designer/types';
import { fromFlow } from './fromFlow';
import { locateFlowProblems } from './locateFlowProblems';

const p = (path: string, code = 'x') => ({ path, code, message: code });

describe('locateFlowProblems', () => {
  it('places problems on the node, edge or flow member they name', () => {
    const design = fromFlow(structuredClone(loanApproval) as JsonObject);
    const review = design.nodes[8]!;
    expect(review.raw['id']).toBe('credit_review');
    const gate = design.edges[13]!;
    const map = locateFlowProblems(
      [p('/nodes/8/sla/after', 'duration'), p('/nodes/8'), p('/edges/13/condition', 'cel_syntax'), p('/name/en'), p('/nodes', 'missing_end'), p('/nodes/99/id'), p('')],
      design,
    );
    expect(map.count).toBe(7);
    expect(map.nodes[review.handle]!['sla/after']![0]!.code).toBe('duration');
    expect(map.nodes[review.handle]!['']).toHaveLength(1);
    expect(map.edges[gate.handle]!['condition']![0]!.code).toBe('cel_syntax');
    expect(Object.keys(map.flow).sort()).toEqual(['', 'name/en', 'nodes']);
    expect(map.flow['nodes']).toHaveLength(2);
  });
});
