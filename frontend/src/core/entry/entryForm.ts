import type { FieldAccess, FieldOption, FormAccess, Localized } from '../api/types';
import type { EntryField, EntryForm, EntrySection, JsonSchema } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (o: Obj | undefined, key: string): Obj | undefined => (o && isObj(o[key]) ? (o[key] as Obj) : undefined);
const namesAt = (o: Obj | undefined, key: string): string[] => {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/**
 * entryForm lays out the form a person fills in: the fields of the access answer (the
 * only ones they may know of, with what they may see and write), in the definition's
 * sections when the published definition could be read, with its schema, help and
 * sub-table columns. Without the definition the fields come in one section, in the
 * form's order, and only the server checks them.
 *
 * @example
 * entryForm(access, published.body).sections.map((s) => s.key) // ["profile", "contact", …]
 */
export function entryForm(access: FormAccess, definition?: Obj): EntryForm {
  const schema = objAt(definition, 'schema');
  const properties = objAt(schema, 'properties');
  const required = new Set(namesAt(schema, 'required'));
  const metas = objAt(definition, 'fields');
  const computed = objAt(definition, 'computed') ?? {};

  const fields = access.fields.map((a) =>
    fieldOf(a, objAt(properties, a.name), objAt(metas, a.name), required.has(a.name), a.computed === true || Object.hasOwn(computed, a.name)),
  );
  const known = new Set(fields.map((f) => f.name));
  const sections: EntrySection[] = [];
  const placed = new Set<string>();
  const layout = objAt(definition, 'layout');
  const list = layout?.['sections'];
  if (Array.isArray(list)) {
    for (const s of list) {
      if (!isObj(s)) continue;
      const names = namesAt(s, 'fields').filter((n) => known.has(n) && !placed.has(n));
      if (names.length === 0) continue;
      names.forEach((n) => placed.add(n));
      const section: EntrySection = { key: typeof s['key'] === 'string' ? s['key'] : '', columns: columnsOf(s['columns']), fields: names };
      const title = textOf(s['title']);
      if (title) section.title = title;
      const description = textOf(s['description']);
      if (description) section.description = description;
      sections.push(section);
    }
  }
  const loose = fields.filter((f) => !placed.has(f.name)).map((f) => f.name);
  if (loose.length > 0) sections.push({ key: '', columns: definition ? 1 : 2, fields: loose });

  const form: EntryForm = { form: access.form, version: access.version, fields, sections };
  if (schema) form.schema = schema;
  return form;
}

function fieldOf(a: FieldAccess, schema: Obj | undefined, meta: Obj | undefined, required: boolean, computed: boolean): EntryField {
  const f: EntryField = {
    name: a.name,
    widget: a.widget ?? (typeof meta?.['widget'] === 'string' ? meta['widget'] : 'text'),
    required,
    view: a.view,
    write: a.write,
    computed,
  };
  const label = a.label ?? textOf(meta?.['label']);
  if (label) f.label = label;
  const options = a.options ?? optionsOf(meta?.['options']);
  if (options) f.options = options;
  decorate(f, schema, meta);
  if (f.widget === 'subtable') {
    const items = objAt(schema, 'items');
    const colProps = objAt(items, 'properties');
    const colRequired = new Set(namesAt(items, 'required'));
    const colMetas = objAt(meta, 'fields');
    if (colProps || colMetas) {
      const names = [...Object.keys(colProps ?? {})];
      for (const n of Object.keys(colMetas ?? {})) if (!names.includes(n)) names.push(n);
      f.columns = names.map((n) => {
        const cm = objAt(colMetas, n);
        const col: EntryField = {
          name: n,
          widget: typeof cm?.['widget'] === 'string' ? cm['widget'] : 'text',
          required: colRequired.has(n),
          view: a.view,
          write: a.write,
          computed: false,
        };
        const l = textOf(cm?.['label']);
        if (l) col.label = l;
        const o = optionsOf(cm?.['options']);
        if (o) col.options = o;
        decorate(col, objAt(colProps, n), cm);
        return col;
      });
    }
  }
  return f;
}

/** decorate adds what only the definition says: schema, help, placeholder. */
function decorate(f: EntryField, schema: Obj | undefined, meta: Obj | undefined) {
  if (schema) f.schema = schema as JsonSchema;
  const help = textOf(meta?.['help']);
  if (help) f.help = help;
  const placeholder = textOf(meta?.['placeholder']);
  if (placeholder) f.placeholder = placeholder;
}

function columnsOf(v: unknown): number {
  return typeof v === 'number' && v >= 1 && v <= 4 ? Math.floor(v) : 1;
}

function textOf(v: unknown): Localized | undefined {
  if (!isObj(v)) return undefined;
  const out: Localized = {};
  for (const [k, s] of Object.entries(v)) if (typeof s === 'string') out[k] = s;
  return Object.keys(out).length > 0 ? out : undefined;
}

function optionsOf(v: unknown): FieldOption[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: FieldOption[] = [];
  for (const o of v) {
    if (!isObj(o)) continue;
    const value = o['value'];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    out.push({ value, label: textOf(o['label']) ?? {} });
  }
  return out.length > 0 ? out : undefined;
}
