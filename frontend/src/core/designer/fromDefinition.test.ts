import { fromDefinition } from './fromDefinition';
import { testDefinition, testTree } from './testForm';
import { toDefinition } from './toDefinition';
import type { JsonObject } from './types';

describe('fromDefinition', () => {
  it('takes out each field with its schema and metadata, and sub-table columns as children', () => {
    const tree = testTree();
    expect(tree.fields.map((f) => f.name)).toEqual(['name', 'income', 'annual', 'score', 'contacts']);
    const contacts = tree.fields[4]!;
    expect(contacts.columns?.nodes.map((c) => [c.name, c.schema, c.meta])).toEqual([
      ['who', { type: 'string' }, { label: { en: 'Who' }, widget: 'text' }],
      ['phone', { type: 'string' }, { label: { en: 'Phone' }, widget: 'phone' }],
    ]);
    expect(contacts.schema).toEqual({ type: 'array', maxItems: 3, items: { type: 'object', required: ['phone'] } });
    expect(tree.sections.map((s) => s.items)).toEqual([['name', 'income'], ['contacts', 'annual']]);
    expect(tree.rest['x_vendor']).toEqual({ kept: true });
  });

  it('reads a half-done draft as far as it goes and writes it back as it was', () => {
    const drafts = [
      { key: 'a', title: { en: 'A' }, schema: { type: 'object', properties: { only_schema: { type: 'string' } } }, fields: { only_meta: { label: { en: 'M' }, widget: 'text' } } },
      { key: 'b', schema: 'not an object', fields: [], layout: { sections: 'nope' } },
      { key: 'c', schema: { properties: { s: true } }, fields: { s: null }, layout: { sections: [{ key: 'x' }, 42, { key: 'y', fields: ['s', 7] }] } },
      { key: 'd', schema: { type: 'object', properties: { t: { type: 'array' } } }, fields: { t: { label: { en: 'T' }, widget: 'subtable' } } },
    ].map((d) => JSON.stringify(d));
    // JSON.parse makes "__proto__" an own key, as the server's body would.
    drafts.push('{"key":"e","schema":{"type":"object","properties":{"__proto__":{"type":"string"}}},"fields":{"__proto__":{"widget":"text"}}}');
    for (const draft of drafts) {
      const body = JSON.parse(draft) as JsonObject;
      expect(toDefinition(fromDefinition(structuredClone(body)))).toEqual(body);
    }
  });

  it('pairs a name only the metadata has after the properties', () => {
    const def = testDefinition();
    (def['fields'] as Record<string, unknown>)['ghost'] = { label: { en: 'Ghost' }, widget: 'text' };
    const tree = fromDefinition(def);
    const ghost = tree.fields.at(-1)!;
    expect([ghost.name, ghost.schema]).toEqual(['ghost', undefined]);
  });

  it('keeps "__proto__" an ordinary field name', () => {
    const body = JSON.parse('{"schema":{"properties":{"__proto__":{"type":"string"}}}}') as JsonObject;
    const tree = fromDefinition(body);
    expect(tree.fields.map((f) => f.name)).toEqual(['__proto__']);
    const back = toDefinition(tree);
    expect(Object.keys((back['schema'] as { properties: object }).properties)).toEqual(['__proto__']);
  });
});
