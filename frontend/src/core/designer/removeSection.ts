import type { DesignTree } from './types';

/**
 * removeSection removes a section from the layout. Its fields stay in the form, placed
 * in no section (the form shows them after the sections) until placed again.
 *
 * @example
 * removeSection(tree, contact.id)
 */
export function removeSection(tree: DesignTree, id: string): DesignTree {
  const sections = tree.sections.filter((s) => s.id !== id);
  return sections.length === tree.sections.length ? tree : { ...tree, sections };
}
