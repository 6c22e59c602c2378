import { fromDefinition } from './fromDefinition';
import { toDefinition } from './toDefinition';
import type { JsonObject } from './types';

// Every form of the lending starter app, read straight from the repository's templates,
// so a template added later is covered without touching this test.
const templates = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/*.json', { eager: true, import: 'default' });
const forms = Object.entries(templates).map(([path, body]) => [path.split('/').pop() ?? path, body] as const);

describe('round trip of the lending templates through the designer model', () => {
  it('finds the templates', () => {
    expect(forms.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining(['collection_case.json', 'customer.json', 'loan_account.json', 'loan_application.json']),
    );
  });

  it.each(forms)('%s reads and writes back unchanged', (_name, body) => {
    const copy = structuredClone(body);
    const tree = fromDefinition(copy);
    // The tree really holds the fields and sections, not the whole body in rest.
    const schema = body['schema'] as { properties: object };
    expect(tree.fields.map((f) => f.name)).toEqual(Object.keys(schema.properties));
    expect(tree.rest['fields']).toBeUndefined();
    expect(tree.sections.length).toBe(((body['layout'] as { sections: unknown[] }).sections ?? []).length);
    expect(toDefinition(tree)).toEqual(body);
    // Reading did not change the body it was given.
    expect(copy).toEqual(body);
  });

  it.each(forms)('%s takes sub-table columns apart and puts them back', (_name, body) => {
    const tree = fromDefinition(structuredClone(body));
    for (const node of tree.fields.filter((f) => f.columns)) {
      const meta = (body['fields'] as Record<string, { fields: object }>)[node.name];
      expect(node.columns?.nodes.map((c) => c.name).sort()).toEqual(Object.keys(meta?.fields ?? {}).sort());
      expect(JSON.stringify(node.schema)).not.toContain('"properties"');
    }
    expect(toDefinition(tree)).toEqual(body);
  });
});
