import { isObject } from '../designer/isObject';
import type { Json } from '../designer/types';
import { fieldKind } from './fieldKinds';
import type { ConditionItem, FieldInfo, Group, Kind, Leaf } from './types';

/**
 * conditionToCel writes a visual condition as the CEL expression the server compiles it
 * to (runtime/rule/visual.go), so the text shown is what runs: each comparison first
 * asks whether the field is set (an unset field never compares, except that it is
 * "not equal"), text and lists count as set only when not empty, numbers are written as
 * doubles for number fields. Values that do not fit are written as they are, for the
 * server to name.
 *
 * @example
 * conditionToCel({ all: [{ field: 'amount', op: 'gt', value: 100000 }] }, fields)
 * // '(has(record.amount) && record.amount > 100000.0)'
 */
export function conditionToCel(group: Group, fields: readonly FieldInfo[]): string {
  const [items, joiner] = 'any' in group && Array.isArray(group.any) && group.any.length > 0 ? [group.any, ' || '] : [('all' in group ? group.all : []) ?? [], ' && '];
  return items.map((item) => `(${isLeaf(item) ? leafCel(item, fields) : conditionToCel(item, fields)})`).join(joiner);
}

function isLeaf(item: ConditionItem): item is Leaf {
  return isObject(item as Json) && 'field' in item;
}

function leafCel(l: Leaf, fields: readonly FieldInfo[]): string {
  const { kind, items } = fieldKind(fields, l.field);
  const p = `record.${l.field}`;
  const set = kind === 'string' || kind === 'array' ? `(has(${p}) && size(${p}) > 0)` : `has(${p})`;
  const guard = `has(${p}) && `;
  const v = l.value;
  switch (l.op) {
    case 'is_set':
      return set;
    case 'not_set':
      return `!${set}`;
    case 'eq':
      return `${guard}${p} == ${literal(v, kind)}`;
    case 'ne':
      return `!(${guard}${p} == ${literal(v, kind)})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `${guard}${p} ${SYMBOLS[l.op]} ${literal(v, kind)}`;
    case 'in':
      return `${guard}${p} in [${(Array.isArray(v) ? v : [v]).map((x) => literal(x, kind)).join(', ')}]`;
    case 'contains':
      return kind === 'array' ? `${guard}${literal(v, items ?? 'any')} in ${p}` : `${guard}${p}.contains(${literal(v, 'string')})`;
  }
  return `${guard}${p}`;
}

const SYMBOLS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** literal writes a value as a CEL literal for a field of kind. */
function literal(v: Json | undefined, kind: Kind): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && (kind === 'integer' || kind === 'any')) return String(v);
    const s = String(v);
    return /[.e]/.test(s) ? s : `${s}.0`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}
