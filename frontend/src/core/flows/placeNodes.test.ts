import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import type { JsonObject } from '../designer/types';
import { fromFlow } from './fromFlow';
import { layoutFlow } from './layoutFlow';
import { placeNodes } from './placeNodes';

describe('placeNodes', () => {
  it('lays out only the nodes without a stored position', () => {
    const body = structuredClone(loanApproval) as JsonObject;
    const nodes = body['nodes'] as JsonObject[];
    nodes[0] = { ...nodes[0], position: { x: -500, y: 40 } };
    const design = fromFlow(body);
    const ids = design.nodes.map((n) => String(n.raw['id']));
    const auto = layoutFlow(ids, design.edges.map((e) => ({ from: String(e.raw['from']), to: String(e.raw['to']) })));
    const at = placeNodes(design);
    expect(at[design.nodes[0]!.handle]).toEqual({ x: -500, y: 40 });
    design.nodes.slice(1).forEach((n, i) => expect(at[n.handle]).toEqual(auto[ids[i + 1]!]));
  });
});
