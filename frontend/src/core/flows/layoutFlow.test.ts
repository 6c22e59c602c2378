import collection from '../../../../schemas/templates/lending/flows/collection.json';
import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import { LAYOUT, layoutFlow } from './layoutFlow';

describe('layoutFlow', () => {
  it('lays a split out below its source, side by side', () => {
    expect(layoutFlow(['a', 'b', 'c'], [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }])).toEqual({
      a: { x: LAYOUT.column / 2, y: 0 },
      b: { x: 0, y: LAYOUT.layer },
      c: { x: LAYOUT.column, y: LAYOUT.layer },
    });
  });

  it('puts a node below the furthest node leading to it, and survives loops', () => {
    const p = layoutFlow(['a', 'b', 'c', 'd'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c' }, { from: 'c', to: 'b' }, { from: 'c', to: 'd' }, { from: 'x', to: 'a' }]);
    expect([p['a']!.y, p['b']!.y, p['c']!.y, p['d']!.y]).toEqual([0, 1, 2, 3].map((n) => n * LAYOUT.layer));
  });

  it.each([
    ['loan_approval', loanApproval],
    ['collection', collection],
  ])('places every node of %s on its own spot, each edge going down unless it leads back', (_name, flow) => {
    const ids = flow.nodes.map((n) => n.id);
    const p = layoutFlow(ids, flow.edges);
    expect(Object.keys(p).sort()).toEqual([...ids].sort());
    const spots = new Set(Object.values(p).map((q) => `${q.x},${q.y}`));
    expect(spots.size).toBe(ids.length);
    const down = flow.edges.filter((e) => p[e.to]!.y > p[e.from]!.y);
    expect(down.length).toBe(flow.edges.length);
    expect(p[flow.nodes[0]!.id]!.y).toBe(0);
  });
});
