import { findField } from './findField';
import { isObject } from './isObject';
import { setKey } from './setKey';
import type { DesignTree } from './types';

/**
 * setComputed sets the CEL expression that computes a top-level field on every save
 * (computed.<name>.expr), keeping its description; an empty expression makes the field
 * an ordinary one again. Columns of a sub-table cannot be computed.
 *
 * @example
 * setComputed(tree, annual.id, '(record.monthly_income) * 12.0')
 */
export function setComputed(tree: DesignTree, id: string, expr: string): DesignTree {
  const found = findField(tree, id);
  if (!found || found.table) return tree;
  const name = found.node.name;
  const computed = isObject(tree.rest['computed']) ? tree.rest['computed'] : {};
  const entry = computed[name];
  const next = expr === '' ? setKey(computed, name, undefined) : setKey(computed, name, setKey(isObject(entry) ? entry : {}, 'expr', expr));
  return { ...tree, rest: setKey(tree.rest, 'computed', Object.keys(next).length > 0 ? next : undefined) };
}
