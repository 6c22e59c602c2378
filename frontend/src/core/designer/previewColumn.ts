import type { FieldOption, Localized } from '../api/types';
import type { Column } from '../forms/columns';
import { isObject } from './isObject';
import { optionsOf } from './optionsOf';
import type { FieldNode, Json } from './types';

/**
 * previewColumn describes a field the way the record pages' inputs take it (a Column),
 * so the preview draws it with the very inputs a person filling the form gets.
 *
 * @example
 * <FieldInput column={previewColumn(node)} … />
 */
export function previewColumn(node: FieldNode): Column {
  const meta = isObject(node.meta) ? node.meta : {};
  const col: Column = { name: node.name };
  const label = textOf(meta['label']);
  if (label) col.label = label;
  if (typeof meta['widget'] === 'string') col.widget = meta['widget'];
  const options: FieldOption[] = optionsOf(node).map((o) => ({ value: o.value, label: textOf(o.label) ?? {} }));
  if (options.length > 0) col.options = options;
  return col;
}

/** textOf keeps the string entries of a localized text. */
function textOf(value: Json | undefined): Localized | undefined {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
