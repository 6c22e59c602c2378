import { isEditable } from './isEditable';
import type { EntryField, EntryRow } from './types';

/**
 * cellEditable tells whether the person may change one cell of a sub-table: in a row
 * read from the record, a column they read in full and may write; in a row added here,
 * a column they may give (as a field of a new record), since the server refuses any
 * other column in a new row.
 *
 * @example
 * cellEditable(phoneColumn, { id: 'row-1', cells: {}, read: { phone: '138****0000' } }) // false when masked
 */
export function cellEditable(column: EntryField, row: Pick<EntryRow, 'read'>): boolean {
  return isEditable(column, row.read ? 'edit' : 'create');
}
