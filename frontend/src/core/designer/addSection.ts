import type { DesignTree, SectionNode } from './types';

/**
 * addSection inserts a section at index of the layout.
 *
 * @example
 * addSection(tree, newSection('contact', title, 2), tree.sections.length)
 */
export function addSection(tree: DesignTree, section: SectionNode, index: number): DesignTree {
  const sections = [...tree.sections];
  sections.splice(Math.max(0, Math.min(index, sections.length)), 0, section);
  return { ...tree, sections };
}
