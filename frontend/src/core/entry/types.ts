// The record entry form's model: the fields a person fills in or changes, drawn from the
// form's access answer (what they may see and write) and, when they may read it, the
// published definition (schema, layout, help, sub-table columns).

import type { FieldOption, FieldView, Localized } from '../api/types';

/** JsonSchema is a JSON Schema node as a definition stores it. */
export type JsonSchema = Record<string, unknown>;

/** EntryField is one field (or one sub-table column) of the entry form. */
export interface EntryField {
  name: string;
  label?: Localized;
  help?: Localized;
  placeholder?: Localized;
  /** widget is the definition's widget; "text" when nothing says otherwise. */
  widget: string;
  options?: FieldOption[];
  /** schema is the field's JSON Schema property, when the definition was readable. */
  schema?: JsonSchema;
  required: boolean;
  view: FieldView;
  /** write: the person may write this field (columns follow their table). */
  write: boolean;
  /** computed: the server computes the value on every save. */
  computed: boolean;
  /** columns are a sub-table's columns; absent when the definition was not readable. */
  columns?: EntryField[];
}

/** EntrySection is one section of the layout, with the names of the fields it shows. */
export interface EntrySection {
  key: string;
  title?: Localized;
  description?: Localized;
  /** columns is how many columns the section's fields are laid out in (1 to 4). */
  columns: number;
  fields: string[];
}

/** EntryForm is the whole entry form. */
export interface EntryForm {
  form: string;
  version: number;
  fields: EntryField[];
  sections: EntrySection[];
  /** schema is the record's JSON Schema; absent when the person may not read the definition. */
  schema?: JsonSchema;
}

/** EntryMode says whether a record is being created or changed. */
export type EntryMode = 'create' | 'edit';

/** EntryRow is one row of a sub-table being edited; id keeps React's rows apart. */
export interface EntryRow {
  id: string;
  cells: Record<string, EntryValue>;
}

/**
 * EntryValue is what an input holds: text (a choice as its option's index, a list as
 * one entry per line), a flag for a yes/no box, option indexes for several choices, or
 * the rows of a sub-table.
 */
export type EntryValue = string | boolean | string[] | EntryRow[];

/** EntryValues are the inputs of the whole form, by field name. */
export type EntryValues = Record<string, EntryValue>;
