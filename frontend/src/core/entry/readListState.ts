import { DEFAULT_SORT, FILTER_OPS, type FilterOp, type FilterRow, type ListState } from './listTypes';

/**
 * readListState reads the record list's filters (f=field:op:value, repeated), sort
 * (sort=-amount) and columns (cols=a,b or cols=*) from the URL; what it cannot read
 * is left out.
 *
 * @example
 * readListState(new URLSearchParams('f=amount:gte:100000&sort=-amount')).filters // [{ field: "amount", op: "gte", value: "100000" }]
 */
export function readListState(params: URLSearchParams): ListState {
  const filters: FilterRow[] = [];
  for (const raw of params.getAll('f')) {
    const i = raw.indexOf(':');
    const j = i < 0 ? -1 : raw.indexOf(':', i + 1);
    if (i <= 0 || j < 0) continue;
    const op = raw.slice(i + 1, j) as FilterOp;
    if (!FILTER_OPS.includes(op)) continue;
    filters.push({ field: raw.slice(0, i), op, value: raw.slice(j + 1) });
  }
  const cols = params.get('cols');
  return {
    filters,
    sort: params.get('sort') || DEFAULT_SORT,
    cols: cols === null ? null : cols === '*' ? 'all' : cols.split(',').filter(Boolean),
  };
}
