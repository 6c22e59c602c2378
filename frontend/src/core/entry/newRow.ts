import { newRowId } from './newRowId';
import { toEntryValue } from './toEntryValue';
import type { EntryField, EntryRow } from './types';

/**
 * newRow is an empty row of a sub-table, added here: it holds no values read from the
 * record, so only the columns the person may give are ever sent from it.
 *
 * @example
 * newRow(contactsField).cells // { name: "", relation: "", phone: "" }
 */
export function newRow(table: EntryField): EntryRow {
  const cells: EntryRow['cells'] = {};
  for (const c of table.columns ?? []) cells[c.name] = toEntryValue(undefined, c);
  return { id: newRowId(), cells };
}
