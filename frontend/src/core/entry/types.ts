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
  /** write: the person may write this field; a sub-table's column has its own right. */
  write: boolean;
  /** computed: the server computes the value on every save. */
  computed: boolean;
  /** columns are a sub-table's columns the person may read or write. */
  columns?: EntryField[];
  /**
   * removeRows: the person may remove a sub-table's saved rows (they read in full and
   * write every column). Otherwise saved rows stay where they are and rows may only be
   * added, since row i of a write is row i of the stored record.
   */
  removeRows?: boolean;
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
  /**
   * read is the row as read from the record, absent for a row added here: the columns
   * the person may not change in it are sent back exactly so.
   */
  read?: Record<string, unknown>;
}

/**
 * EntryValue is what an input holds: text (a choice as its option's index, a list as
 * one entry per line), a flag for a yes/no box, option indexes for several choices, or
 * the rows of a sub-table.
 */
export type EntryValue = string | boolean | string[] | EntryRow[];

/** EntryValues are the inputs of the whole form, by field name. */
export type EntryValues = Record<string, EntryValue>;
