import { findField } from './findField';
import { isObject } from './isObject';
import { mapField } from './mapField';
import { setKey } from './setKey';
import type { DesignTree, JsonObject } from './types';
import { updateRequired } from './updateRequired';

/**
 * removeField removes a field and every mention of it the format has: its place in the
 * sections, the required list, its computed expression and an automated decision that
 * writes into it. A sub-table column leaves its table and its table's required list.
 *
 * @example
 * removeField(tree, phone.id)
 */
export function removeField(tree: DesignTree, id: string): DesignTree {
  const found = findField(tree, id);
  if (!found) return tree;
  const { node, table } = found;
  const name = node.name;
  if (table) {
    return mapField(tree, table.id, (t) => ({
      ...t,
      schema: isObject(t.schema) && isObject(t.schema['items']) ? setKey(t.schema, 'items', updateRequired(t.schema['items'], (l) => l.filter((n) => n !== name))) : t.schema,
      columns: { ...t.columns!, nodes: t.columns!.nodes.filter((c) => c.id !== id) },
    }));
  }

  let rest = tree.rest;
  if (isObject(rest['schema'])) rest = setKey(rest, 'schema', updateRequired(rest['schema'], (l) => l.filter((n) => n !== name)));
  const computed = rest['computed'];
  if (isObject(computed) && Object.hasOwn(computed, name)) {
    const left = setKey(computed, name, undefined);
    rest = setKey(rest, 'computed', Object.keys(left).length > 0 ? left : undefined);
  }
  const decisions = rest['decisions'];
  if (isObject(decisions)) {
    const left: JsonObject = Object.fromEntries(Object.entries(decisions).filter(([, step]) => !(isObject(step) && step['field'] === name)));
    if (Object.keys(left).length !== Object.keys(decisions).length) rest = setKey(rest, 'decisions', Object.keys(left).length > 0 ? left : undefined);
  }
  return {
    ...tree,
    rest,
    fields: tree.fields.filter((f) => f.id !== id),
    sections: tree.sections.map((s) => (s.items?.includes(name) ? { ...s, items: s.items.filter((n) => n !== name) } : s)),
  };
}
