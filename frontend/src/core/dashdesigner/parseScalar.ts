import type { Json } from './types';

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * parseScalar reads a filter value typed as text: a number, true / false, or the text.
 *
 * @example
 * parseScalar('30') // 30
 * parseScalar('M1') // "M1"
 */
export function parseScalar(text: string): Json {
  const s = text.trim();
  if (NUMBER.test(s)) return Number(s);
  if (s === 'true') return true;
  if (s === 'false') return false;
  return s;
}
