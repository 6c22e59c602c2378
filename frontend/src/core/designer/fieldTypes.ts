import type { JsonObject } from './types';

/** FieldTypeId names a kind of field the palette offers. */
export type FieldTypeId =
  | 'text'
  | 'textarea'
  | 'number'
  | 'money'
  | 'date'
  | 'select'
  | 'radio'
  | 'checkboxes'
  | 'yes_no'
  | 'id_number'
  | 'phone'
  | 'bank_card'
  | 'email'
  | 'region'
  | 'attachment'
  | 'subtable';

/** LayoutTypeId names a layout element the palette offers: a section, or a section in columns. */
export type LayoutTypeId = 'section' | 'columns';

/** FieldType is how a new field of one kind starts: its widget, schema and metadata. */
export interface FieldType {
  id: FieldTypeId;
  widget: string;
  /** group orders the palette. */
  group: 'basic' | 'choice' | 'lending' | 'structure';
  /** choices: the field takes its values from a list of options. */
  choices: boolean;
  /** column: the field may be a column of a sub-table. */
  column: boolean;
  /** schema is the JSON Schema property a new field starts with (choices get their enum from the options). */
  schema: JsonObject;
  /** meta is the metadata a new field starts with, besides its label (and options). */
  meta: JsonObject;
}

// Patterns and masks follow the lending templates (schemas/templates/lending), so a
// field made here validates and masks like the templates' own.
const ID_NUMBER = '^[1-9]\\d{5}(18|19|20)\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])\\d{3}[\\dX]$';
const MOBILE = '^(\\+86)?1[3-9]\\d{9}$';
const BANK_CARD = '^[1-9]\\d{15,18}$';
const REGION = '^[1-9]\\d{5}$';

/** FIELD_TYPES is the palette's catalogue of field kinds, in palette order. */
export const FIELD_TYPES: readonly FieldType[] = [
  { id: 'text', widget: 'text', group: 'basic', choices: false, column: true, schema: { type: 'string', maxLength: 200 }, meta: {} },
  { id: 'textarea', widget: 'textarea', group: 'basic', choices: false, column: true, schema: { type: 'string', maxLength: 2000 }, meta: {} },
  { id: 'number', widget: 'number', group: 'basic', choices: false, column: true, schema: { type: 'number' }, meta: {} },
  { id: 'money', widget: 'money', group: 'basic', choices: false, column: true, schema: { type: 'number', minimum: 0, multipleOf: 0.01 }, meta: {} },
  { id: 'date', widget: 'date', group: 'basic', choices: false, column: true, schema: { type: 'string', format: 'date' }, meta: {} },
  { id: 'select', widget: 'select', group: 'choice', choices: true, column: true, schema: { type: 'string' }, meta: {} },
  { id: 'radio', widget: 'radio', group: 'choice', choices: true, column: true, schema: { type: 'string' }, meta: {} },
  {
    id: 'checkboxes',
    widget: 'checkbox',
    group: 'choice',
    choices: true,
    column: true,
    schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    meta: {},
  },
  { id: 'yes_no', widget: 'checkbox', group: 'choice', choices: false, column: true, schema: { type: 'boolean' }, meta: {} },
  {
    id: 'id_number',
    widget: 'id_number',
    group: 'lending',
    choices: false,
    column: true,
    schema: { type: 'string', pattern: ID_NUMBER },
    meta: { sensitive: true, mask: 'id_number' },
  },
  { id: 'phone', widget: 'phone', group: 'lending', choices: false, column: true, schema: { type: 'string', pattern: MOBILE }, meta: { sensitive: true, mask: 'phone' } },
  {
    id: 'bank_card',
    widget: 'bank_card',
    group: 'lending',
    choices: false,
    column: true,
    schema: { type: 'string', pattern: BANK_CARD },
    meta: { sensitive: true, mask: 'bank_card' },
  },
  {
    id: 'email',
    widget: 'email',
    group: 'lending',
    choices: false,
    column: true,
    schema: { type: 'string', format: 'email', maxLength: 254 },
    meta: { sensitive: true, mask: 'email' },
  },
  { id: 'region', widget: 'region', group: 'lending', choices: false, column: true, schema: { type: 'string', pattern: REGION }, meta: {} },
  {
    id: 'attachment',
    widget: 'attachment',
    group: 'structure',
    choices: false,
    column: false,
    schema: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 128 } },
    meta: {},
  },
  {
    id: 'subtable',
    widget: 'subtable',
    group: 'structure',
    choices: false,
    column: false,
    schema: { type: 'array', maxItems: 50, items: { type: 'object', additionalProperties: false } },
    meta: {},
  },
];

/** LAYOUT_TYPES are the palette's layout elements: a section, and a section laid out in two columns. */
export const LAYOUT_TYPES: readonly LayoutTypeId[] = ['section', 'columns'];

/**
 * fieldType returns the catalogue entry of a field kind.
 *
 * @example
 * fieldType('phone').widget // "phone"
 */
export function fieldType(id: FieldTypeId): FieldType {
  const t = FIELD_TYPES.find((f) => f.id === id);
  if (!t) throw new Error(`unknown field type ${id}`);
  return t;
}
