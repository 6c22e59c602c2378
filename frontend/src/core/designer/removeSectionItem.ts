import type { DesignTree } from './types';

/**
 * removeSectionItem removes the entry at index of a section's list: the way to drop a
 * name the section places that is no field of the form (a draft saved half-done).
 *
 * @example
 * removeSectionItem(tree, contact.id, 3)
 */
export function removeSectionItem(tree: DesignTree, sectionId: string, index: number): DesignTree {
  const section = tree.sections.find((s) => s.id === sectionId);
  if (!section?.items || index < 0 || index >= section.items.length) return tree;
  const items = section.items.filter((_, i) => i !== index);
  return { ...tree, sections: tree.sections.map((s) => (s === section ? { ...s, items } : s)) };
}
