// The designer's model of a form definition: the parts the designer edits taken out of
// the definition JSON (each field's schema property and metadata, the layout's
// sections), everything else kept as it came in `rest`. toDefinition puts them back, so
// a definition read and written unchanged is the same JSON.

/** Json is any JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** JsonObject is a JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** Localized is text per locale, e.g. {"zh-CN": "手机号码", "en": "Mobile phone"}. */
export type Localized = Record<string, string>;

/** FieldNode is one field of the form, or one column of a sub-table. */
export interface FieldNode {
  /** id is the designer's own handle on the node; it never reaches the definition. */
  id: string;
  /** name is the key of the field in schema.properties and in fields. */
  name: string;
  /**
   * schema is the field's JSON Schema property as stored, without a sub-table's
   * items.properties (those are the columns); undefined when the definition has
   * metadata but no property of that name.
   */
  schema: Json | undefined;
  /** meta is the field's entry in fields (label, widget…), without a sub-table's fields. */
  meta: Json | undefined;
  /** columns are a sub-table's columns; only fields whose widget is subtable have them. */
  columns?: Columns;
}

/** Columns are the columns of a sub-table, in order, and where they were stored. */
export interface Columns {
  nodes: FieldNode[];
  /** inProperties: the schema held items.properties (put back even when empty). */
  inProperties: boolean;
  /** inFields: the metadata held fields (put back even when empty). */
  inFields: boolean;
}

/** SectionNode is one section of the layout. */
export interface SectionNode {
  id: string;
  /** raw is the section as stored, without its fields when those are a list. */
  raw: Json;
  /** items are the names the section places, in order; null when it had no list. */
  items: Json[] | null;
}

/** DesignTree is a form definition as the designer edits it. */
export interface DesignTree {
  /** rest is the definition without what the fields and sections below hold. */
  rest: JsonObject;
  /** fields are the form's fields, in the order of schema.properties. */
  fields: FieldNode[];
  /** sections are layout.sections, in order. */
  sections: SectionNode[];
  /** owns says which containers the tree took out of the definition. */
  owns: { properties: boolean; fields: boolean; sections: boolean };
}

/**
 * Slot is where a field is placed: at index in a section's list, or in no section (the
 * form then shows it after the sections).
 */
export type Slot = { section: string; index: number } | { section: null };

/** Option is one labelled value of a select, radio or checkboxes field. */
export interface Option {
  value: string | number | boolean;
  label: JsonObject;
}
