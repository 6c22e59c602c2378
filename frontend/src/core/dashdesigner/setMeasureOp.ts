import type { JsonObject, MeasureOp } from './types';
import { withMember } from './withMember';

/**
 * setMeasureOp changes a measure's operation and the members it then takes: a count
 * has no field, a ratio names two other measures and has neither field nor filter, the
 * others measure a field.
 *
 * @example
 * setMeasureOp({ name: 'n', op: 'sum', field: 'amount' }, 'count') // { name: "n", op: "count" }
 */
export function setMeasureOp(m: JsonObject, op: MeasureOp): JsonObject {
  let out = withMember(m, 'op', op);
  if (op === 'ratio') {
    out = withMember(withMember(out, 'field', undefined), 'filter', undefined);
    if (out['numerator'] === undefined) out = withMember(out, 'numerator', '');
    if (out['denominator'] === undefined) out = withMember(out, 'denominator', '');
    return out;
  }
  out = withMember(withMember(out, 'numerator', undefined), 'denominator', undefined);
  if (op === 'count') return withMember(out, 'field', undefined);
  return out['field'] === undefined ? withMember(out, 'field', '') : out;
}
