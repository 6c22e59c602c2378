import type { JsonObject } from '../designer/types';
import { fromFlow } from './fromFlow';
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

  it('keeps lists it cannot take apart, and members it does not know', () => {
    const odd = { key: 'x', nodes: 'not yet', edges: [{ from: 'a', to: 'b' }], extra: { kept: true } } as JsonObject;
    const design = fromFlow(odd);
    expect(design.owns).toEqual({ nodes: false, edges: true });
    expect(JSON.stringify(toFlow(design))).toBe(JSON.stringify(odd));
  });
});
