import { findField } from './findField';
import { isObject } from './isObject';
import type { DesignTree } from './types';

/**
 * isRequired reports whether a field or column is in its required list.
 *
 * @example
 * isRequired(tree, amount.id) // true
 */
export function isRequired(tree: DesignTree, id: string): boolean {
  const found = findField(tree, id);
  if (!found) return false;
  let schema = tree.rest['schema'];
  if (found.table) schema = isObject(found.table.schema) ? found.table.schema['items'] : undefined;
  const list = isObject(schema) ? schema['required'] : undefined;
  return Array.isArray(list) && list.includes(found.node.name);
}
