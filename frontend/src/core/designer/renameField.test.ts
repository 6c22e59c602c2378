import { renameField } from './renameField';
import { idOf, testDefinition, testTree } from './testForm';
import { toDefinition } from './toDefinition';

describe('renameField', () => {
  it('renames a field everywhere the format names it', () => {
    let tree = testTree();
    tree = renameField(tree, idOf(tree, 'annual'), 'annual_income');
    tree = renameField(tree, idOf(tree, 'contacts'), 'people');
    tree = renameField(tree, idOf(tree, 'score'), 'credit_score');
    const def = toDefinition(tree);
    expect(Object.keys((def['schema'] as { properties: object }).properties)).toEqual(['name', 'income', 'annual_income', 'credit_score', 'people']);
    expect(def['schema']).toMatchObject({ required: ['name', 'people'] });
    expect(def['computed']).toEqual({ annual_income: { expr: 'record.income * 12.0', description: { en: 'Twelve months' } } });
    expect(def['decisions']).toEqual({ score: { field: 'credit_score' } });
    expect((def['layout'] as { sections: Array<{ fields: string[] }> }).sections[1]!.fields).toEqual(['people', 'annual_income']);
  });

  it('renames a column in its table’s required list', () => {
    const tree = testTree();
    const def = toDefinition(renameField(tree, idOf(tree, 'contacts.phone'), 'mobile'));
    const items = (def['schema'] as { properties: Record<string, { items: object }> }).properties['contacts']!.items;
    expect(items).toEqual({ type: 'object', required: ['mobile'], properties: { who: { type: 'string' }, mobile: { type: 'string' } } });
  });

  it('refuses a name that is taken or not a name, losing nothing', () => {
    const tree = testTree();
    expect(renameField(tree, idOf(tree, 'name'), 'income')).toBe(tree);
    expect(renameField(tree, idOf(tree, 'name'), 'Full Name')).toBe(tree);
    expect(renameField(tree, idOf(tree, 'contacts.who'), 'phone')).toBe(tree);
    // A column may share a name with a top-level field: they live in different objects.
    expect(renameField(tree, idOf(tree, 'contacts.who'), 'name')).not.toBe(tree);
  });

  it('renamed there and back gives the definition it started from', () => {
    let tree = testTree();
    const id = idOf(tree, 'annual');
    tree = renameField(renameField(tree, id, 'tmp'), id, 'annual');
    expect(toDefinition(tree)).toEqual(testDefinition());
  });
});
