import type { Json } from '../designer/types';
import type { Kind, Operator } from './types';

/**
 * parseLeafValue reads what a person typed as a comparison's value for a field of kind:
 * a number for number fields, true/false for yes/no fields, the text otherwise; a list
 * (comma-separated) for "in". What does not read as the kind is kept as typed, so the
 * server names the problem on this very input. Empty is no value.
 *
 * @example
 * parseLeafValue('100000', 'number', 'gt') // 100000
 * parseLeafValue('education, medical', 'string', 'in') // ["education", "medical"]
 */
export function parseLeafValue(text: string, kind: Kind, op: Operator): Json | undefined {
  if (op === 'is_set' || op === 'not_set') return undefined;
  if (op === 'in') {
    const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return parts.length === 0 ? undefined : parts.map((p) => one(p, kind));
  }
  return text.trim() === '' ? undefined : one(kind === 'string' ? text : text.trim(), kind);
}

function one(text: string, kind: Kind): Json {
  if (kind === 'number' || kind === 'integer' || kind === 'any') {
    const n = Number(text);
    if (text.trim() !== '' && Number.isFinite(n)) return n;
  }
  if ((kind === 'boolean' || kind === 'any') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
