import { applyEdit, type Edit } from './applyEdit';
import { newField } from './newField';
import { newSection } from './newSection';
import { idOf, testDefinition, testTree } from './testForm';
import { toDefinition } from './toDefinition';

const words = { label: { 'zh-CN': '手机号码', en: 'Mobile phone' }, option: (n: number) => ({ en: `Option ${n}` }), column: { en: 'Item' } };

describe('applyEdit', () => {
  it('builds a section with a new phone field, required, from a few edits', () => {
    const tree = testTree();
    const section = newSection(['one', 'two'], { en: 'Contact' }, 2);
    const phone = newField('phone', tree.fields.map((f) => f.name), words);
    const edits: Edit[] = [
      { kind: 'addSection', section, index: 0 },
      { kind: 'addField', node: phone, to: { section: section.id, index: 0 } },
      { kind: 'setRequired', field: phone.id, required: true },
      { kind: 'setSchema', field: phone.id, key: 'pattern', value: '^1\\d{10}$' },
      { kind: 'setMeta', field: phone.id, key: 'indexed', value: true },
      { kind: 'setSection', section: section.id, key: 'columns', value: 1 },
      { kind: 'setForm', key: 'description', value: { en: 'With a phone' } },
    ];
    const def = toDefinition(edits.reduce(applyEdit, tree));
    expect((def['layout'] as { sections: unknown[] }).sections[0]).toEqual({ key: 'section', title: { en: 'Contact' }, columns: 1, fields: ['phone'] });
    expect((def['schema'] as { properties: Record<string, unknown> }).properties['phone']).toEqual({ type: 'string', pattern: '^1\\d{10}$' });
    expect((def['fields'] as Record<string, unknown>)['phone']).toEqual({
      label: { 'zh-CN': '手机号码', en: 'Mobile phone' },
      widget: 'phone',
      sensitive: true,
      mask: 'phone',
      indexed: true,
    });
    expect(def['schema']).toMatchObject({ required: ['name', 'contacts', 'phone'] });
    expect(def['description']).toEqual({ en: 'With a phone' });
  });

  it('moves and removes sections; fields of a removed section stay in the form', () => {
    const tree = testTree();
    const [one, two] = tree.sections;
    let next = applyEdit(tree, { kind: 'moveSection', section: two!.id, index: 0 });
    expect(next.sections.map((s) => s.id)).toEqual([two!.id, one!.id]);
    next = applyEdit(next, { kind: 'removeSection', section: one!.id });
    const def = toDefinition(next);
    expect((def['layout'] as { sections: unknown[] }).sections).toEqual([{ key: 'two', fields: ['contacts', 'annual'] }]);
    expect(Object.keys(def['fields'] as object)).toContain('name');
  });

  it('adds and moves sub-table columns, refusing a sub-table inside a sub-table', () => {
    const tree = testTree();
    const table = idOf(tree, 'contacts');
    const phone = newField('phone', ['who', 'phone'], words);
    let next = applyEdit(tree, { kind: 'addColumn', table, node: phone, index: 0 });
    next = applyEdit(next, { kind: 'moveColumn', table, column: idOf(next, 'contacts.who'), index: 2 });
    expect(next.fields.at(-1)!.columns!.nodes.map((c) => c.name)).toEqual(['phone_2', 'phone', 'who']);
    const inner = newField('subtable', [], words);
    expect(applyEdit(next, { kind: 'addColumn', table, node: inner, index: 0 })).toBe(next);
  });

  it('added and removed again gives back the definition it started from', () => {
    const tree = testTree();
    const phone = newField('phone', [], words);
    const added = applyEdit(tree, { kind: 'addField', node: phone, to: { section: tree.sections[0]!.id, index: 1 } });
    expect(toDefinition(applyEdit(added, { kind: 'removeField', field: phone.id }))).toEqual(testDefinition());
  });
});
