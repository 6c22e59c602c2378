import type { FieldOption, FormAccess, FormDefinition, Localized } from '../api/types';

/** Column is one field shown in a record list. */
export interface Column {
  name: string;
  /** label is absent when the caller may not read the form's definition. */
  label?: Localized;
  widget?: string;
  options?: FieldOption[];
}

/**
 * columnsOf lists the fields the caller may read, in the order of the form's layout
 * (sections first, then the remaining fields in definition order). Fields the server
 * leaves out of access are never shown. Without the definition, the access order and
 * field names are all there is.
 */
export function columnsOf(def: FormDefinition | null, access: FormAccess): Column[] {
  const readable = new Set(access.fields.filter((f) => f.view !== 'none').map((f) => f.name));
  if (!def) return access.fields.filter((f) => readable.has(f.name)).map((f) => ({ name: f.name }));
  const order: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name);
      order.push(name);
    }
  };
  for (const section of def.layout?.sections ?? []) section.fields.forEach(add);
  Object.keys(def.fields).forEach(add);
  return order
    .filter((name) => readable.has(name) && def.fields[name] !== undefined)
    .map((name) => {
      const f = def.fields[name]!;
      const col: Column = { name, label: f.label, widget: f.widget };
      if (f.options) col.options = f.options;
      return col;
    });
}
