import { isObject } from './isObject';
import type { FieldNode, Option } from './types';

/**
 * optionsOf reads the labelled options of a choice field (those with a usable value).
 *
 * @example
 * optionsOf(channel).map((o) => o.value) // ["branch", "online", …]
 */
export function optionsOf(node: FieldNode): Option[] {
  const list = isObject(node.meta) ? node.meta['options'] : undefined;
  if (!Array.isArray(list)) return [];
  const out: Option[] = [];
  for (const o of list) {
    if (!isObject(o)) continue;
    const v = o['value'];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ value: v, label: isObject(o['label']) ? o['label'] : {} });
  }
  return out;
}
