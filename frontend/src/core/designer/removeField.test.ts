import { removeField } from './removeField';
import { idOf, testTree } from './testForm';
import { toDefinition } from './toDefinition';

describe('removeField', () => {
  it('removes a field with its place, its required entry, its expression and its decision', () => {
    let tree = testTree();
    tree = removeField(tree, idOf(tree, 'annual'));
    tree = removeField(tree, idOf(tree, 'name'));
    tree = removeField(tree, idOf(tree, 'score'));
    const def = toDefinition(tree);
    expect(Object.keys((def['schema'] as { properties: object }).properties)).toEqual(['income', 'contacts']);
    expect(Object.keys(def['fields'] as object)).toEqual(['income', 'contacts']);
    expect(def['schema']).toMatchObject({ required: ['contacts'] });
    expect(def['computed']).toBeUndefined();
    expect(def['decisions']).toBeUndefined();
    expect((def['layout'] as { sections: Array<{ fields: string[] }> }).sections.map((s) => s.fields)).toEqual([['income'], ['contacts']]);
    expect(def['x_vendor']).toEqual({ kept: true });
  });

  it('removes a column from its table and from the table’s required list', () => {
    const tree = testTree();
    const def = toDefinition(removeField(tree, idOf(tree, 'contacts.phone')));
    const contacts = (def['schema'] as { properties: Record<string, unknown> }).properties['contacts'];
    expect(contacts).toEqual({ type: 'array', maxItems: 3, items: { type: 'object', properties: { who: { type: 'string' } } } });
    expect(Object.keys((def['fields'] as Record<string, { fields: object }>)['contacts']!.fields)).toEqual(['who']);
  });
});
