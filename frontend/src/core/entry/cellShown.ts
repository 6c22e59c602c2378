import { cellEditable } from './cellEditable';
import type { EntryField, EntryRow } from './types';

/**
 * cellShown tells whether a sub-table cell appears in the entry form: as an input when
 * the person may change it, read-only when it was read from the record. A column they
 * may not read has no cell in a saved row, nor one they may not give in a new row.
 *
 * @example
 * cellShown({ name: 'phone', view: 'none', write: false, … }, row) // false
 */
export function cellShown(column: EntryField, row: Pick<EntryRow, 'read'>): boolean {
  return cellEditable(column, row) || (row.read !== undefined && column.view !== 'none');
}
