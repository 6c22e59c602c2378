import { findField } from './findField';
import { isObject } from './isObject';
import { mapField } from './mapField';
import { setKey } from './setKey';
import type { DesignTree, Json } from './types';
import { updateRequired } from './updateRequired';

/**
 * setRequired makes a field required or optional: its name in the form schema's
 * required list, or for a column in its table's items.required.
 *
 * @example
 * setRequired(tree, amount.id, true)
 */
export function setRequired(tree: DesignTree, id: string, required: boolean): DesignTree {
  const found = findField(tree, id);
  if (!found) return tree;
  const name = found.node.name;
  const change = (names: Json[]) => {
    const without = names.filter((n) => n !== name);
    return required ? [...without, name] : without;
  };
  const keepOrder = (names: Json[]) => (required && names.includes(name) ? names : change(names));
  if (found.table) {
    return mapField(tree, found.table.id, (t) => {
      const schema = isObject(t.schema) ? t.schema : {};
      const items = isObject(schema['items']) ? schema['items'] : { type: 'object' };
      return { ...t, schema: setKey(schema, 'items', updateRequired(items, keepOrder)) };
    });
  }
  const schema = isObject(tree.rest['schema']) ? tree.rest['schema'] : { type: 'object' };
  return { ...tree, rest: setKey(tree.rest, 'schema', updateRequired(schema, keepOrder)) };
}
