// The record list's state as the URL keeps it: filters, sort and the columns chosen.

/** FilterOp is an operator of the record list's filter (store.Op). */
export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'exists' | 'contains' | 'prefix';

/** FilterRow is one condition as the person wrote it: the value as typed (a list comma-separated). */
export interface FilterRow {
  field: string;
  op: FilterOp;
  value: string;
}

/** ListState is what the record list shows. */
export interface ListState {
  filters: FilterRow[];
  /** sort is the server's sort: a field, minus for descending. */
  sort: string;
  /** cols are the columns chosen by name, "all", or null for the main ones. */
  cols: string[] | 'all' | null;
}

/** DEFAULT_SORT lists the newest records first. */
export const DEFAULT_SORT = '-_created_at';

/** FILTER_OPS are every operator, in the order a menu offers them. */
export const FILTER_OPS: readonly FilterOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'prefix', 'exists'];
