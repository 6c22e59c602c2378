import type { JsonObject } from '../designer/types';
import { applyFlowEdit } from './applyFlowEdit';
import { fromFlow } from './fromFlow';
import { nodePosition } from './nodePosition';
import { toFlow } from './toFlow';

// Every flow of the lending starter app, read straight from the repository's templates,
// so a template added later is covered without touching this test.
const templates = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/flows/*.json', { eager: true, import: 'default' });
const flows = Object.entries(templates).map(([path, body]) => [path.split('/').pop() ?? path, body] as const);

describe('round trip of the lending flow templates through the flow designer model', () => {
  it('finds the templates', () => {
    expect(flows.map(([name]) => name).sort()).toEqual(expect.arrayContaining(['collection.json', 'loan_approval.json']));
  });

  it.each(flows)('%s reads and writes back the same JSON', (_name, body) => {
    const copy = structuredClone(body);
    const design = fromFlow(copy);
    expect(design.nodes.map((n) => n.raw['id'])).toEqual((body['nodes'] as JsonObject[]).map((n) => n['id']));
    expect(design.edges).toHaveLength((body['edges'] as unknown[]).length);
    const out = toFlow(design);
    // The same JSON: the same text, member order included.
    expect(JSON.stringify(out)).toBe(JSON.stringify(body));
    expect(copy).toEqual(body);
  });

  // The same templates with a stored position on every node, placed after the node's
  // type as a person's editor might have written it.
  const placed = flows.map(([name, body]) => {
    const copy = structuredClone(body);
    copy['nodes'] = (copy['nodes'] as JsonObject[]).map((n, i) =>
      Object.fromEntries(Object.entries(n).flatMap(([k, v]) => (k === 'type' ? [[k, v], ['position', { x: i * 37.5, y: -i * 120 }]] : [[k, v]]))),
    );
    return [name, copy] as const;
  });

  it.each(placed)('%s with node positions reads them and writes back the same JSON', (_name, body) => {
    const design = fromFlow(structuredClone(body));
    expect(design.nodes.map((n) => nodePosition(n.raw))).toEqual((body['nodes'] as JsonObject[]).map((_n, i) => ({ x: i * 37.5, y: -i * 120 })));
    expect(JSON.stringify(toFlow(design))).toBe(JSON.stringify(body));
  });

  it.each(flows)('%s stores a moved node’s place in that node only, and arranging again forgets it', (_name, body) => {
    const design = fromFlow(structuredClone(body));
    const moved = design.nodes[1]!;
    let d = applyFlowEdit(design, { kind: 'moveNode', handle: moved.handle, at: { x: 310.4, y: 95.6 } });
    d = applyFlowEdit(d, { kind: 'moveNode', handle: moved.handle, at: { x: 330, y: 96 } });
    const out = toFlow(d);
    const nodes = out['nodes'] as JsonObject[];
    const original = body['nodes'] as JsonObject[];
    // A new member goes last; moving again keeps its place; nothing else changes.
    expect(nodes[1]).toEqual({ ...original[1], position: { x: 330, y: 96 } });
    expect(Object.keys(nodes[1]!).at(-1)).toBe('position');
    expect(JSON.stringify({ ...out, nodes: nodes.map((n, i) => (i === 1 ? original[1] : n)) })).toBe(JSON.stringify(body));
    // The unchanged design saved again is the very same JSON, position included.
    expect(JSON.stringify(toFlow(fromFlow(structuredClone(out))))).toBe(JSON.stringify(out));
    // Moving to where it already is changes nothing.
    expect(applyFlowEdit(d, { kind: 'moveNode', handle: moved.handle, at: { x: 330.2, y: 95.9 } })).toBe(d);
    expect(JSON.stringify(toFlow(applyFlowEdit(d, { kind: 'arrange' })))).toBe(JSON.stringify(body));
    expect(applyFlowEdit(design, { kind: 'arrange' })).toBe(design);
  });

  it('keeps lists it cannot take apart, and members it does not know', () => {
    const odd = { key: 'x', nodes: 'not yet', edges: [{ from: 'a', to: 'b' }], extra: { kept: true } } as JsonObject;
    const design = fromFlow(odd);
    expect(design.owns).toEqual({ nodes: false, edges: true });
    expect(JSON.stringify(toFlow(design))).toBe(JSON.stringify(odd));
  });
});
