import { removeSectionItem } from './removeSectionItem';
import { testTree } from './testForm';

describe('removeSectionItem', () => {
  it('removes one entry of a section and nothing else', () => {
    const tree = testTree();
    const s = tree.sections[1]!;
    const next = removeSectionItem(tree, s.id, 0);
    expect(next.sections[1]!.items).toEqual(['annual']);
    expect(next.sections[0]).toBe(tree.sections[0]);
    expect(next.fields).toBe(tree.fields);
    expect(removeSectionItem(tree, s.id, 5)).toBe(tree);
  });
});
