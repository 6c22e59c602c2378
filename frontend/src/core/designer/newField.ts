import { fieldType, type FieldTypeId } from './fieldTypes';
import { newId } from './newId';
import type { FieldNode, JsonObject } from './types';
import { uniqueName } from './uniqueName';

/** NewFieldWords are the texts a new field starts with, in every locale the form is written in. */
export interface NewFieldWords {
  /** label is the new field's label. */
  label: JsonObject;
  /** option labels choice n (1, 2…) of a new choice field. */
  option: (n: number) => JsonObject;
  /** column labels the first column of a new sub-table (a text column). */
  column: JsonObject;
}

/**
 * newField makes a field of a palette kind, named after its kind and free among taken:
 * its schema and metadata as the catalogue starts them, two options for a choice field,
 * one text column for a sub-table (the format wants at least one).
 *
 * @example
 * newField('phone', ['phone'], words).name // "phone_2"
 */
export function newField(kind: FieldTypeId, taken: readonly string[], words: NewFieldWords): FieldNode {
  const t = fieldType(kind);
  const schema: JsonObject = structuredClone(t.schema);
  const meta: JsonObject = { label: words.label, widget: t.widget, ...structuredClone(t.meta) };
  const node: FieldNode = { id: newId(), name: uniqueName(kind, taken), schema, meta };
  if (t.choices) {
    const values = ['option_1', 'option_2'];
    meta['options'] = values.map((value, i) => ({ value, label: words.option(i + 1) }));
    const items = schema['items'];
    if (schema['type'] === 'array' && items && typeof items === 'object' && !Array.isArray(items)) items['enum'] = values;
    else schema['enum'] = values;
  }
  if (kind === 'subtable') {
    const text = fieldType('text');
    node.columns = {
      nodes: [{ id: newId(), name: 'item', schema: structuredClone(text.schema), meta: { label: words.column, widget: text.widget } }],
      inProperties: true,
      inFields: true,
    };
  }
  return node;
}
