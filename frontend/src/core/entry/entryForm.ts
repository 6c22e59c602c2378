import type { FieldAccess, FormAccess } from '../api/types';
import type { EntryField, EntryForm, EntrySection, JsonSchema } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (o: Obj | undefined, key: string): Obj | undefined => (o && isObj(o[key]) ? (o[key] as Obj) : undefined);
const namesAt = (o: Obj | undefined, key: string): string[] => {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * entryForm lays out the form a person fills in from the form's access answer alone:
 * the fields they may know of (with what they may see and write, hints and sub-table
 * columns), in the sections of the layout and checked by the schema the server reduced
 * to those fields, so no right to the definition is needed. An answer without a layout
 * puts the fields in one section; one without a schema leaves the check to the server.
 *
 * @example
 * entryForm(await getFormAccess(api, tenant, 'customer')).sections.map((s) => s.key) // ["profile", "contact", …]
 */
export function entryForm(access: FormAccess): EntryForm {
  const schema = isObj(access.schema) ? access.schema : undefined;
  const properties = objAt(schema, 'properties');
  const required = new Set(namesAt(schema, 'required'));

  const fields = access.fields.map((a) => fieldOf(a, objAt(properties, a.name), required.has(a.name)));
  const known = new Set(fields.map((f) => f.name));
  const sections: EntrySection[] = [];
  const placed = new Set<string>();
  for (const s of access.layout?.sections ?? []) {
    const names = s.fields.filter((n) => known.has(n) && !placed.has(n));
    if (names.length === 0) continue;
    names.forEach((n) => placed.add(n));
    const section: EntrySection = { key: s.key, columns: columnsOf(s.columns), fields: names };
    if (s.title) section.title = s.title;
    if (s.description) section.description = s.description;
    sections.push(section);
  }
  const loose = fields.filter((f) => !placed.has(f.name)).map((f) => f.name);
  if (loose.length > 0) sections.push({ key: '', columns: access.layout ? 1 : 2, fields: loose });

  const form: EntryForm = { form: access.form, version: access.version, fields, sections };
  if (schema) form.schema = schema;
  return form;
}

function fieldOf(a: FieldAccess, schema: Obj | undefined, required: boolean): EntryField {
  const f = describe(a, schema, required);
  f.computed = a.computed === true;
  if (f.widget === 'subtable' && a.columns) {
    const items = objAt(schema, 'items');
    const colProps = objAt(items, 'properties');
    const colRequired = new Set(namesAt(items, 'required'));
    f.columns = a.columns.map((c) => describe(c, objAt(colProps, c.name), colRequired.has(c.name)));
    f.removeRows = a.remove_rows === true;
  }
  return f;
}

function describe(a: FieldAccess, schema: Obj | undefined, required: boolean): EntryField {
  const f: EntryField = { name: a.name, widget: a.widget ?? 'text', required, view: a.view, write: a.write, computed: false };
  if (a.label) f.label = a.label;
  if (a.options) f.options = a.options;
  if (schema) f.schema = schema as JsonSchema;
  if (a.help) f.help = a.help;
  if (a.placeholder) f.placeholder = a.placeholder;
  return f;
}

function columnsOf(v: unknown): number {
  return typeof v === 'number' && v >= 1 && v <= 4 ? Math.floor(v) : 1;
}
