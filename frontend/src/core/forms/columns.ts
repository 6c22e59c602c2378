import type { FieldAccess, FieldOption, FormAccess, Localized } from '../api/types';

/** Column is one field shown in a record list or on a record page. */
export interface Column {
  name: string;
  /** label is absent only from an older server's access answer; the name stands in. */
  label?: Localized;
  widget?: string;
  options?: FieldOption[];
  /** columns are a sub-table's columns the caller may read, in the form's order. */
  columns?: Column[];
}

/**
 * columnsOf lists the fields the caller may read, in the form's order, as the server's
 * access answer labels them: readers without the right to the form's definition get
 * the same headers as its editors. Fields the server leaves out are never shown, nor
 * are the columns of a sub-table the caller may only write.
 *
 * @example
 * columnsOf(access).map((c) => c.name) // ["applicant_name", "gender", …]
 */
export function columnsOf(access: FormAccess): Column[] {
  return access.fields.filter((f) => f.view !== 'none').map(columnOf);
}

/** columnOf is how one field of the access answer is shown. */
export function columnOf(f: FieldAccess): Column {
  const col: Column = { name: f.name };
  if (f.label) col.label = f.label;
  if (f.widget) col.widget = f.widget;
  if (f.options) col.options = f.options;
  if (f.columns) col.columns = f.columns.filter((c) => c.view !== 'none').map(columnOf);
  return col;
}
