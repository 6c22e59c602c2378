import type { FieldAccess } from '../api/types';
import type { FilterRow } from './listTypes';

const NUMERIC = new Set(['money', 'number']);

/** ListFilter is the filter tree to send, and the rows that could not be read. */
export interface ListFilter {
  filter: unknown;
  /** bad lists the indexes of rows whose field or value cannot be used. */
  bad: number[];
}

/**
 * listFilter turns the person's conditions into the list API's filter tree (one leaf,
 * or an "and" of leaves), each value typed as the field holds it: numbers for numbers,
 * flags for yes/no, option values for choices, lists for in / not in.
 *
 * @example
 * listFilter([{ field: 'amount', op: 'gte', value: '100000' }], fields).filter // { field: "amount", op: "gte", value: 100000 }
 */
export function listFilter(rows: readonly FilterRow[], fields: readonly FieldAccess[]): ListFilter {
  const leaves: unknown[] = [];
  const bad: number[] = [];
  rows.forEach((r, i) => {
    const f = fields.find((x) => x.name === r.field);
    const value = f ? typed(r, f) : undefined;
    if (value === undefined) bad.push(i);
    else leaves.push({ field: r.field, op: r.op, value });
  });
  const filter = leaves.length === 0 ? undefined : leaves.length === 1 ? leaves[0] : { and: leaves };
  return { filter, bad };
}

function typed(r: FilterRow, f: FieldAccess): unknown {
  if (r.op === 'exists') return r.value === 'false' ? false : true;
  if (r.op === 'in' || r.op === 'nin') {
    const parts = r.value.split(',').map((s) => s.trim()).filter(Boolean);
    const values = parts.map((p) => one(p, f));
    return values.length > 0 && values.every((v) => v !== undefined) ? values : undefined;
  }
  return one(r.value.trim(), f);
}

function one(raw: string, f: FieldAccess): unknown {
  if (raw === '') return undefined;
  if (f.options && f.options.length > 0) return f.options.find((o) => String(o.value) === raw)?.value;
  if (f.widget === 'checkbox') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (NUMERIC.has(f.widget ?? '')) {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  return raw;
}
