import { fromDefinition } from './fromDefinition';
import type { DesignTree, JsonObject } from './types';

// A small form for the model's tests: two sections, a computed field, a decision, a
// sub-table with a required column, and a member the designer does not know.

/** testDefinition returns a fresh copy of the test form's definition. */
export function testDefinition(): JsonObject {
  return {
    key: 'intake',
    title: { 'zh-CN': '进件', en: 'Intake' },
    schema: {
      type: 'object',
      required: ['name', 'contacts'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', maxLength: 50 },
        income: { type: 'number', minimum: 0 },
        annual: { type: 'number' },
        score: { type: 'object', properties: { status: { type: 'string' } } },
        contacts: {
          type: 'array',
          maxItems: 3,
          items: { type: 'object', required: ['phone'], properties: { who: { type: 'string' }, phone: { type: 'string' } } },
        },
      },
    },
    fields: {
      name: { label: { en: 'Name' }, widget: 'text' },
      income: { label: { en: 'Income' }, widget: 'money' },
      annual: { label: { en: 'Annual' }, widget: 'money' },
      score: { label: { en: 'Score' }, widget: 'decision' },
      contacts: {
        label: { en: 'Contacts' },
        widget: 'subtable',
        fields: { who: { label: { en: 'Who' }, widget: 'text' }, phone: { label: { en: 'Phone' }, widget: 'phone' } },
      },
    },
    layout: {
      sections: [
        { key: 'one', title: { en: 'One' }, columns: 2, fields: ['name', 'income'] },
        { key: 'two', fields: ['contacts', 'annual'] },
      ],
    },
    computed: { annual: { expr: 'record.income * 12.0', description: { en: 'Twelve months' } } },
    decisions: { score: { field: 'score' } },
    x_vendor: { kept: true },
  };
}

/** testTree is the test form as a design tree. */
export function testTree(): DesignTree {
  return fromDefinition(testDefinition());
}

/** idOf finds a node's id by name ("contacts.phone" for a column). */
export function idOf(tree: DesignTree, path: string): string {
  const [top, col] = path.split('.');
  const node = tree.fields.find((f) => f.name === top);
  const id = col ? node?.columns?.nodes.find((c) => c.name === col)?.id : node?.id;
  if (!id) throw new Error(`no field ${path}`);
  return id;
}
