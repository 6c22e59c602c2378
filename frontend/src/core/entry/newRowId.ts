let rowSeq = 0;

/**
 * newRowId names a sub-table row for React; it never reaches the record.
 *
 * @example
 * newRowId() // "row-7"
 */
export function newRowId(): string {
  rowSeq++;
  return `row-${rowSeq}`;
}
