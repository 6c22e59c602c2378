import { moveItem } from './moveItem';
import type { DesignTree } from './types';

/**
 * moveSection moves a section to index of the layout (its index once moved).
 *
 * @example
 * moveSection(tree, contact.id, 0)
 */
export function moveSection(tree: DesignTree, id: string, index: number): DesignTree {
  const from = tree.sections.findIndex((s) => s.id === id);
  if (from < 0 || from === index) return tree;
  return { ...tree, sections: moveItem(tree.sections, from, index) };
}
