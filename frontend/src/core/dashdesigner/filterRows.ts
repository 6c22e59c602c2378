import type { FilterRow } from './filterRow';
import { parseScalar } from './parseScalar';
import { LEAF_OPS, type Json, type LeafOp } from './types';

const LIST_OPS: readonly string[] = ['in', 'nin'];

/**
 * filterRows reads a filter as rows of conditions when it is simple — one condition, or
 * "and" of two or more — and each value reads back from its text exactly; otherwise
 * null, and the filter is edited as JSON. Nothing absent gives no rows.
 *
 * @example
 * filterRows({ and: [{ field: 'status', op: 'eq', value: 'disbursed' }, { field: 'dpd', op: 'gt', value: 0 }] })
 * // [{ field: "status", op: "eq", value: "disbursed" }, { field: "dpd", op: "gt", value: "0" }]
 */
export function filterRows(filter: Json | undefined): FilterRow[] | null {
  if (filter === undefined) return [];
  if (!isLeafish(filter)) return null;
  const group = Array.isArray(filter['and']) && Object.keys(filter).length === 1 ? filter['and'] : null;
  // An "and" of one would come back as a bare condition: not the same JSON.
  if (group && group.length < 2) return null;
  const leaves = group ?? [filter];
  const rows: FilterRow[] = [];
  for (const leaf of leaves) {
    const row = rowOf(leaf);
    if (!row) return null;
    rows.push(row);
  }
  return rows;
}

function isLeafish(v: Json): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rowOf(leaf: Json): FilterRow | null {
  if (!isLeafish(leaf)) return null;
  const keys = Object.keys(leaf).sort().join(',');
  const { field, op, value } = leaf;
  if (keys !== 'field,op,value' || typeof field !== 'string' || typeof op !== 'string' || !LEAF_OPS.includes(op as LeafOp)) return null;
  if (op === 'exists') return typeof value === 'boolean' ? { field, op, value: String(value) } : null;
  if (LIST_OPS.includes(op)) {
    if (!Array.isArray(value) || value.length === 0) return null;
    const parts = value.map(textOf);
    if (parts.some((p) => p === null || p.includes(','))) return null;
    return { field, op: op as LeafOp, value: parts.join(', ') };
  }
  const text = textOf(value as Json);
  return text === null ? null : { field, op: op as LeafOp, value: text };
}

/** textOf is a value's text when it reads back as the same value, else null. */
function textOf(v: Json): string | null {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return null;
  const text = String(v);
  return parseScalar(text) === v ? text : null;
}
