/** ProblemPlace is where a problem's JSON pointer lands in the entry form. */
export interface ProblemPlace {
  /** field is the top-level field; "" for the record as a whole. */
  field: string;
  /** row and column name a sub-table cell (or a row, without column). */
  row?: number;
  column?: string;
}

/**
 * problemPlace reads a record problem's JSON pointer ("/contacts/1/phone") as the field,
 * row and column it is about. The version of a PATCH ("/version") is no field.
 *
 * @example
 * problemPlace('/emergency_contacts/0/phone') // { field: "emergency_contacts", row: 0, column: "phone" }
 */
export function problemPlace(path: string): ProblemPlace {
  const [field = '', row, column] = path
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const place: ProblemPlace = { field };
  if (row !== undefined && /^\d+$/.test(row)) {
    place.row = Number(row);
    if (column !== undefined) place.column = column;
  }
  return place;
}
