import type { FieldTypeId } from './fieldTypes';
import { isObject } from './isObject';
import type { FieldNode } from './types';

/** FieldKind is what a field is: a palette kind, or one the palette does not make. */
export type FieldKind = FieldTypeId | 'tags' | 'decision' | 'unknown';

const SAME: ReadonlySet<string> = new Set([
  'text', 'textarea', 'number', 'money', 'date', 'select', 'radio', 'id_number', 'phone', 'bank_card', 'email', 'region', 'attachment', 'subtable', 'tags', 'decision',
]);

/**
 * fieldKind tells a field's kind from its widget (and, for a checkbox, its schema: one
 * yes/no box, or several choices).
 *
 * @example
 * fieldKind({ …, schema: { type: 'boolean' }, meta: { widget: 'checkbox', … } }) // "yes_no"
 */
export function fieldKind(node: FieldNode): FieldKind {
  const widget = isObject(node.meta) ? node.meta['widget'] : undefined;
  if (widget === 'checkbox') return isObject(node.schema) && node.schema['type'] === 'array' ? 'checkboxes' : 'yes_no';
  return typeof widget === 'string' && SAME.has(widget) ? (widget as FieldKind) : 'unknown';
}
