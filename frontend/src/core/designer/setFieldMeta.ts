import { isObject } from './isObject';
import { mapField } from './mapField';
import { setKey } from './setKey';
import type { DesignTree, Json } from './types';

/**
 * setFieldMeta sets one entry of a field's metadata (label, help, placeholder,
 * sensitive, mask, indexed…), or removes it given undefined.
 *
 * @example
 * setFieldMeta(tree, phone.id, 'indexed', true)
 */
export function setFieldMeta(tree: DesignTree, id: string, key: string, value: Json | undefined): DesignTree {
  return mapField(tree, id, (node) => ({ ...node, meta: setKey(isObject(node.meta) ? node.meta : {}, key, value) }));
}
