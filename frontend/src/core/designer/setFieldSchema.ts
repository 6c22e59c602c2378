import { isObject } from './isObject';
import { mapField } from './mapField';
import { setKey } from './setKey';
import type { DesignTree, Json } from './types';

/**
 * setFieldSchema sets one keyword of a field's JSON Schema property (minLength,
 * maximum, pattern, type…), or removes it given undefined.
 *
 * @example
 * setFieldSchema(tree, phone.id, 'pattern', '^1\\d{10}$')
 */
export function setFieldSchema(tree: DesignTree, id: string, key: string, value: Json | undefined): DesignTree {
  return mapField(tree, id, (node) => ({ ...node, schema: setKey(isObject(node.schema) ? node.schema : {}, key, value) }));
}
