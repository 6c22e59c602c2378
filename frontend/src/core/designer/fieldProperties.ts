import { fieldKind } from './fieldKind';
import { isObject } from './isObject';
import type { FieldNode } from './types';

/** FieldProperty is a property the property panel offers for a field. */
export type FieldProperty =
  | 'key'
  | 'label'
  | 'help'
  | 'placeholder'
  | 'required'
  | 'minLength'
  | 'maxLength'
  | 'minimum'
  | 'maximum'
  | 'minItems'
  | 'maxItems'
  | 'integer'
  | 'pattern'
  | 'options'
  | 'mustCheck'
  | 'sensitive'
  | 'mask'
  | 'indexed'
  | 'computed';

/**
 * fieldProperties lists what the format lets one set on a field, given its kind and
 * value type: lengths and a pattern for text, bounds for numbers, a count for lists,
 * options for choices; a mask for anything but a sub-table; an index and an expression
 * only for single values at the top level (column: false).
 *
 * @example
 * fieldProperties(phoneNode, false) // ['key', 'label', 'help', 'placeholder', 'required', 'minLength', 'maxLength', 'pattern', 'sensitive', 'mask', 'indexed', 'computed']
 */
export function fieldProperties(node: FieldNode, column: boolean): FieldProperty[] {
  const kind = fieldKind(node);
  const schema = isObject(node.schema) ? node.schema : {};
  const type = schema['type'];
  const scalar = type === 'string' || type === 'number' || type === 'integer' || type === 'boolean';
  const out: FieldProperty[] = ['key', 'label', 'help', 'placeholder', 'required'];
  if (type === 'string' && kind !== 'date' && !(kind === 'select' || kind === 'radio')) out.push('minLength', 'maxLength', 'pattern');
  if ((type === 'number' || type === 'integer') && kind !== 'select' && kind !== 'radio') out.push('minimum', 'maximum');
  if (kind === 'number') out.push('integer');
  if (type === 'array') out.push('minItems', 'maxItems');
  if (kind === 'select' || kind === 'radio' || kind === 'checkboxes') out.push('options');
  if (kind === 'yes_no') out.push('mustCheck');
  if (kind !== 'subtable' && kind !== 'decision') out.push('sensitive', 'mask');
  if (!column && scalar) out.push('indexed', 'computed');
  return out;
}
