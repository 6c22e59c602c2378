import { placeField } from './placeField';
import { idOf, testTree } from './testForm';
import { toDefinition } from './toDefinition';

const sectionsOf = (tree: ReturnType<typeof testTree>) => (toDefinition(tree)['layout'] as { sections: Array<{ fields: string[] }> }).sections.map((s) => s.fields);

describe('placeField', () => {
  it('reorders within a section, the index being the place once moved', () => {
    const tree = testTree();
    const s1 = tree.sections[0]!.id;
    expect(sectionsOf(placeField(tree, idOf(tree, 'name'), { section: s1, index: 1 }))[0]).toEqual(['income', 'name']);
    expect(sectionsOf(placeField(tree, idOf(tree, 'income'), { section: s1, index: 0 }))[0]).toEqual(['income', 'name']);
  });

  it('moves a field to another section', () => {
    const tree = testTree();
    const next = placeField(tree, idOf(tree, 'name'), { section: tree.sections[1]!.id, index: 1 });
    expect(sectionsOf(next)).toEqual([['income'], ['contacts', 'name', 'annual']]);
  });

  it('takes a field out of every section', () => {
    const tree = testTree();
    const next = placeField(tree, idOf(tree, 'annual'), { section: null });
    expect(sectionsOf(next)).toEqual([['name', 'income'], ['contacts']]);
    expect(next.fields).toBe(tree.fields);
  });

  it('changes nothing when a field without a section is put in no section', () => {
    const tree = testTree();
    const score = idOf(tree, 'score');
    expect(tree.sections.some((s) => s.items?.includes('score'))).toBe(false);
    expect(placeField(tree, score, { section: null })).toBe(tree);
    expect(placeField(tree, score, { section: tree.sections[0]!.id, index: 0 })).not.toBe(tree);
  });

  it('does not place a column, nor into a section that does not exist', () => {
    const tree = testTree();
    expect(placeField(tree, idOf(tree, 'contacts.phone'), { section: tree.sections[0]!.id, index: 0 })).toBe(tree);
    expect(placeField(tree, idOf(tree, 'name'), { section: 'nope', index: 0 })).toBe(tree);
  });
});
