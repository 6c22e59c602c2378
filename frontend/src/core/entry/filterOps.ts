import type { FieldAccess } from '../api/types';
import type { FilterOp } from './listTypes';

const NUMERIC = new Set(['money', 'number']);

/**
 * filterOps lists the operators that make sense for a field: comparisons for numbers and
 * dates, lists for choices, text matches for text; "exists" for all.
 *
 * @example
 * filterOps({ name: 'amount', widget: 'money', … }) // ["eq", "ne", "gt", "gte", "lt", "lte", "exists"]
 */
export function filterOps(f: Pick<FieldAccess, 'widget' | 'options'>): FilterOp[] {
  if (f.options && f.options.length > 0) return ['eq', 'ne', 'in', 'nin', 'exists'];
  if (f.widget === 'checkbox') return ['eq', 'exists'];
  if (NUMERIC.has(f.widget ?? '')) return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists'];
  if (f.widget === 'date') return ['eq', 'gt', 'gte', 'lt', 'lte', 'exists'];
  return ['eq', 'ne', 'contains', 'prefix', 'exists'];
}
