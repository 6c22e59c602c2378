import type { Column } from './columns';

/** InputValue is what an input holds: text for most widgets, a flag for a checkbox. */
export type InputValue = string | boolean;

const NUMERIC = new Set(['money', 'number']);

/**
 * toInputValue is a record value as its input shows it: a choice by the index of its
 * option (choices may be numbers), a number as plain digits, nothing as "".
 *
 * @example
 * toInputValue(24, { name: 'term', widget: 'select', options: [{ value: 12, … }, { value: 24, … }] }) // "1"
 */
export function toInputValue(value: unknown, col: Column): InputValue {
  if (col.widget === 'checkbox') return value === true;
  if (value === null || value === undefined) return '';
  if (col.options) {
    const i = col.options.findIndex((o) => o.value === value);
    return i >= 0 ? String(i) : '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * fromInputValue turns what an input holds back into the value the record takes: the
 * option's own value, a number for money and numbers, or undefined when left empty.
 * Text that is not a number is passed on as it is, so the server names the problem.
 *
 * @example
 * fromInputValue('165000', { name: 'approved_limit', widget: 'money' }) // 165000
 */
export function fromInputValue(input: InputValue, col: Column): unknown {
  if (typeof input === 'boolean') return input;
  if (input.trim() === '') return undefined;
  if (col.options) return col.options[Number(input)]?.value;
  if (col.widget && NUMERIC.has(col.widget)) {
    const n = Number(input);
    return Number.isFinite(n) ? n : input;
  }
  return input;
}
