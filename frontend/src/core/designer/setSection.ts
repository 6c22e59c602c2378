import { isObject } from './isObject';
import { setKey } from './setKey';
import type { DesignTree, Json } from './types';

/**
 * setSection sets one property of a section (key, title, description, columns), or
 * removes it given undefined.
 *
 * @example
 * setSection(tree, contact.id, 'columns', 2)
 */
export function setSection(tree: DesignTree, id: string, key: string, value: Json | undefined): DesignTree {
  if (!tree.sections.some((s) => s.id === id)) return tree;
  return {
    ...tree,
    sections: tree.sections.map((s) => (s.id === id ? { ...s, raw: setKey(isObject(s.raw) ? s.raw : {}, key, value), items: s.items ?? [] } : s)),
  };
}
