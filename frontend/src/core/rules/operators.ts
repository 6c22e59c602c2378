import type { FieldInfo, Operator } from './types';

/** OPERATORS are the comparisons of the visual condition builder, in the order offered. */
export const OPERATORS: readonly Operator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'is_set', 'not_set'];

const SCALAR = ['string', 'number', 'integer', 'boolean', 'any'];

/**
 * operatorsFor lists the comparisons the server accepts on a field, as it decides them:
 * equality and in on single values, order on numbers and text (dates in order too),
 * contains on text and on lists of single values, set or not on anything.
 *
 * @example
 * operatorsFor({ path: 'amount', kind: 'number' }) // ["eq", "ne", "gt", "gte", "lt", "lte", "in", "is_set", "not_set"]
 */
export function operatorsFor(field: Pick<FieldInfo, 'kind' | 'items'> | undefined): Operator[] {
  const kind = field?.kind ?? 'any';
  return OPERATORS.filter((op) => {
    switch (op) {
      case 'eq':
      case 'ne':
      case 'in':
        return SCALAR.includes(kind);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return ['number', 'integer', 'string', 'any'].includes(kind);
      case 'contains':
        return kind === 'string' || (kind === 'array' && field?.items !== undefined && SCALAR.slice(0, 4).includes(field.items));
      default:
        return true;
    }
  });
}
