import { findField } from './findField';
import { isObject } from './isObject';
import type { DesignTree } from './types';

/**
 * computedExpr is the expression that computes a top-level field, or "" when it is entered.
 *
 * @example
 * computedExpr(tree, dti.id) // "record.monthly_income > 0.0 ? … : 0.0"
 */
export function computedExpr(tree: DesignTree, id: string): string {
  const found = findField(tree, id);
  const computed = tree.rest['computed'];
  if (!found || found.table || !isObject(computed)) return '';
  const entry = Object.hasOwn(computed, found.node.name) ? computed[found.node.name] : undefined;
  return isObject(entry) && typeof entry['expr'] === 'string' ? entry['expr'] : '';
}
