import type { Column } from '../forms/columns';
import { fromInputValue, type InputValue } from '../forms/inputValue';

/**
 * changedFields is the `fields` of a task decision: the editable fields whose input
 * differs from the record's value, as the record takes them. A field left as it was is
 * not sent, so a decision never rewrites what the person did not touch.
 *
 * @example
 * changedFields(columns, { approved_limit: '150000' }, record.data) // { approved_limit: 150000 }
 */
export function changedFields(
  columns: readonly Column[],
  inputs: Readonly<Record<string, InputValue>>,
  current: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const col of columns) {
    const input = inputs[col.name];
    if (input === undefined) continue;
    const value = fromInputValue(input, col);
    const was = current[col.name];
    if (value === was || (value === undefined && (was === null || was === undefined))) continue;
    // An emptied field is sent as null: the record's way of saying "no value".
    out[col.name] = value === undefined ? null : value;
  }
  return out;
}
