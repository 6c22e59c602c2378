import type { FilterRow } from './filterRow';
import { parseScalar } from './parseScalar';
import type { Json } from './types';

/**
 * rowsFilter writes rows of conditions as a filter: none is no filter, one a leaf, more
 * an "and" of leaves; values typed from their text (a list for in / not in).
 *
 * @example
 * rowsFilter([{ field: 'dpd', op: 'gt', value: '0' }]) // { field: "dpd", op: "gt", value: 0 }
 */
export function rowsFilter(rows: readonly FilterRow[]): Json | undefined {
  const leaves: Json[] = rows.map((r) => {
    let value: Json;
    if (r.op === 'exists') value = r.value.trim() !== 'false';
    else if (r.op === 'in' || r.op === 'nin') value = r.value.split(',').filter((s) => s.trim() !== '').map(parseScalar);
    else value = parseScalar(r.value);
    return { field: r.field, op: r.op, value };
  });
  if (leaves.length === 0) return undefined;
  return leaves.length === 1 ? leaves[0] : { and: leaves };
}
