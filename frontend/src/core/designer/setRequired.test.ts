import { isRequired } from './isRequired';
import { setRequired } from './setRequired';
import { idOf, testTree } from './testForm';
import { toDefinition } from './toDefinition';

describe('setRequired and isRequired', () => {
  it('adds a field to the schema’s required list and takes it off again', () => {
    let tree = testTree();
    const income = idOf(tree, 'income');
    expect(isRequired(tree, income)).toBe(false);
    tree = setRequired(tree, income, true);
    expect(isRequired(tree, income)).toBe(true);
    expect(toDefinition(tree)['schema']).toMatchObject({ required: ['name', 'contacts', 'income'] });
    tree = setRequired(tree, idOf(tree, 'name'), false);
    expect(toDefinition(tree)['schema']).toMatchObject({ required: ['contacts', 'income'] });
  });

  it('keeps a required field where it is in the list', () => {
    const tree = testTree();
    const same = setRequired(tree, idOf(tree, 'name'), true);
    expect(toDefinition(same)['schema']).toMatchObject({ required: ['name', 'contacts'] });
  });

  it('uses the table’s items.required for a column', () => {
    let tree = testTree();
    const who = idOf(tree, 'contacts.who');
    tree = setRequired(tree, who, true);
    expect(isRequired(tree, who)).toBe(true);
    tree = setRequired(setRequired(tree, idOf(tree, 'contacts.phone'), false), who, false);
    const items = (toDefinition(tree)['schema'] as { properties: Record<string, { items: object }> }).properties['contacts']!.items;
    expect(items).not.toHaveProperty('required');
  });
});
