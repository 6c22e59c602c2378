// Definitions and access answers the entry tests share: the lending templates' customer
// and loan application, read from the repository, with access answers as the server
// gives them to an administrator, and one the server gave a clerk.

import type { FieldAccess, FormAccess } from '../api/types';
import { entryForm } from './entryForm';
import type { EntryForm } from './types';

type Obj = Record<string, unknown>;

const templates = import.meta.glob<Obj>('../../../../schemas/templates/lending/*.json', { eager: true, import: 'default' });

const recorded = import.meta.glob<FormAccess>('../../../../server/testdata/access_clerk.json', { eager: true, import: 'default' });

/**
 * clerkAccess is the server's own access answer for a clerk who may create loan
 * applications but not read the definition nor three income fields, recorded by
 * server/http_entry_access_test.go.
 */
export function clerkAccess(): FormAccess {
  const found = Object.values(recorded)[0];
  if (!found) throw new Error('no recorded clerk access answer');
  return structuredClone(found);
}

/** template returns a lending template's definition by form key. */
export function template(key: string): Obj {
  const found = Object.entries(templates).find(([path]) => path.endsWith(`/${key}.json`));
  if (!found) throw new Error(`no template ${key}`);
  return structuredClone(found[1]);
}

/** ColumnRights gives a sub-table column's rights; undefined leaves the column out (hidden). */
export type ColumnRights = (table: string, column: string) => Pick<FieldAccess, 'view' | 'write'> | undefined;

const VIEW_RANK: Record<FieldAccess['view'], number> = { none: 0, masked: 1, full: 2 };

/**
 * accessOf answers /access for a definition as the server does for someone who may know
 * every field: each field with the given view and write rights, its hints and sub-table
 * columns, the whole schema and layout. Columns follow their table unless columns says
 * otherwise; then, as on the server, the table's view is the best of its columns', its
 * write right that of any column, and the columns left out leave the schema too.
 */
export function accessOf(
  def: Obj,
  rights: (name: string) => Pick<FieldAccess, 'view' | 'write'> = () => ({ view: 'full', write: true }),
  columns?: ColumnRights,
): FormAccess {
  const metas = def['fields'] as Record<string, Obj>;
  const computed = Object.keys((def['computed'] as Obj | undefined) ?? {});
  const schema = structuredClone(def['schema'] as Obj);
  const access: FormAccess = {
    form: String(def['key']), version: 1, title: def['title'] as Record<string, string>,
    create: true, read: true, update: true, delete: false, export: false, row_scoped: false,
    fields: Object.entries(metas).map(([name, m]) => {
      const isComputed = computed.includes(name);
      const r = rights(name);
      const f = fieldAccess(name, m, r.view, isComputed ? false : r.write);
      if (isComputed) f.computed = true;
      const cols = m['fields'] as Record<string, Obj> | undefined;
      if (cols) {
        const all = Object.entries(cols);
        f.columns = all.flatMap(([c, cm]) => {
          const cr = columns ? columns(name, c) : { view: r.view, write: f.write };
          return cr ? [fieldAccess(c, cm, cr.view, cr.write)] : [];
        });
        if (columns) {
          f.view = f.columns.reduce<FieldAccess['view']>((best, c) => (VIEW_RANK[c.view] > VIEW_RANK[best] ? c.view : best), 'none');
          f.write = f.columns.some((c) => c.write);
          dropColumns(schema, name, all.map(([c]) => c).filter((c) => !f.columns?.some((x) => x.name === c)));
        }
        if (f.columns.length === all.length && f.columns.every((c) => c.view === 'full' && c.write)) f.remove_rows = true;
      }
      return f;
    }),
    schema,
  };
  if (def['layout']) access.layout = def['layout'] as NonNullable<FormAccess['layout']>;
  return access;
}

/** dropColumns takes hidden columns out of a sub-table's item schema, as the server's reduced schema does. */
function dropColumns(schema: Obj, table: string, hidden: string[]) {
  const items = ((schema['properties'] as Obj | undefined)?.[table] as Obj | undefined)?.['items'] as Obj | undefined;
  if (!items) return;
  const props = items['properties'] as Obj | undefined;
  for (const h of hidden) delete props?.[h];
  if (Array.isArray(items['required'])) items['required'] = (items['required'] as string[]).filter((n) => !hidden.includes(n));
}

function fieldAccess(name: string, m: Obj, view: FieldAccess['view'], write: boolean): FieldAccess {
  const f: FieldAccess = { name, view, write, label: m['label'] as Record<string, string>, widget: String(m['widget']) };
  if (Array.isArray(m['options'])) f.options = m['options'] as FieldAccess['options'] & object;
  if (m['help']) f.help = m['help'] as Record<string, string>;
  if (m['placeholder']) f.placeholder = m['placeholder'] as Record<string, string>;
  return f;
}

/** entryOf is the entry form of a template as an administrator gets it, or with the rights given. */
export function entryOf(key: string, rights?: (name: string) => Pick<FieldAccess, 'view' | 'write'>, columns?: ColumnRights): EntryForm {
  const def = template(key);
  return entryForm(accessOf(def, rights, columns));
}
