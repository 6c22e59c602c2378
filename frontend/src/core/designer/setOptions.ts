import { isObject } from './isObject';
import { mapField } from './mapField';
import { setKey } from './setKey';
import type { DesignTree, Json, Option } from './types';

/**
 * setOptions replaces the choices of a select, radio or checkboxes field in both places
 * the format keeps them: the labelled options of the metadata and the enum of the schema
 * (of its items, for checkboxes), which the server requires to hold the same values.
 * No options at all removes both.
 *
 * @example
 * setOptions(tree, channel.id, [{ value: 'branch', label: { 'zh-CN': '网点', en: 'Branch' } }])
 */
export function setOptions(tree: DesignTree, id: string, options: readonly Option[]): DesignTree {
  return mapField(tree, id, (node) => {
    const meta = isObject(node.meta) ? node.meta : {};
    const schema = isObject(node.schema) ? node.schema : {};
    const values: Json[] | undefined = options.length > 0 ? options.map((o) => o.value) : undefined;
    const list: Json | undefined = options.length > 0 ? options.map((o) => ({ value: o.value, label: o.label })) : undefined;
    const items = schema['items'];
    const nextSchema =
      schema['type'] === 'array' && isObject(items) ? setKey(schema, 'items', setKey(items, 'enum', values)) : setKey(schema, 'enum', values);
    return { ...node, meta: setKey(meta, 'options', list), schema: nextSchema };
  });
}
