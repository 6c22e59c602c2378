// Definitions and access answers the entry tests share: the lending templates' customer
// and loan application, read from the repository, with access answers as the server
// gives them to an administrator.

import type { FieldAccess, FormAccess } from '../api/types';
import { entryForm } from './entryForm';
import type { EntryForm } from './types';

type Obj = Record<string, unknown>;

const templates = import.meta.glob<Obj>('../../../../schemas/templates/lending/*.json', { eager: true, import: 'default' });

/** template returns a lending template's definition by form key. */
export function template(key: string): Obj {
  const found = Object.entries(templates).find(([path]) => path.endsWith(`/${key}.json`));
  if (!found) throw new Error(`no template ${key}`);
  return structuredClone(found[1]);
}

/** accessOf answers /access for a definition: every field, with the given view and write rights. */
export function accessOf(def: Obj, rights: (name: string) => Pick<FieldAccess, 'view' | 'write'> = () => ({ view: 'full', write: true })): FormAccess {
  const metas = def['fields'] as Record<string, Obj>;
  const computed = Object.keys((def['computed'] as Obj | undefined) ?? {});
  return {
    form: String(def['key']), version: 1, title: def['title'] as Record<string, string>,
    create: true, read: true, update: true, delete: false, export: false, row_scoped: false,
    fields: Object.entries(metas).map(([name, m]) => {
      const isComputed = computed.includes(name);
      const r = rights(name);
      const f: FieldAccess = { name, view: r.view, write: isComputed ? false : r.write, label: m['label'] as Record<string, string>, widget: String(m['widget']) };
      if (isComputed) f.computed = true;
      if (Array.isArray(m['options'])) f.options = m['options'] as FieldAccess['options'] & object;
      return f;
    }),
  };
}

/** entryOf is the entry form of a template as an administrator gets it. */
export function entryOf(key: string, rights?: (name: string) => Pick<FieldAccess, 'view' | 'write'>): EntryForm {
  const def = template(key);
  return entryForm(accessOf(def, rights), def);
}
