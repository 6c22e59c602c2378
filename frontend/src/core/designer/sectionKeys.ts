import { isObject } from './isObject';
import type { DesignTree } from './types';

/**
 * sectionKeys lists the keys of the layout's sections, to name a new one.
 *
 * @example
 * sectionKeys(tree) // ["identity", "contact", …]
 */
export function sectionKeys(tree: DesignTree): string[] {
  return tree.sections.flatMap((s) => (isObject(s.raw) && typeof s.raw['key'] === 'string' ? [s.raw['key']] : []));
}
