import type { FieldInfo, Kind } from './types';

/**
 * fieldKind finds the kind of a field path among the fields; a field the list lacks is
 * "any", as the server types a value it knows nothing of.
 *
 * @example
 * fieldKind(fields, 'amount') // { kind: 'number' }
 */
export function fieldKind(fields: readonly FieldInfo[], path: string): { kind: Kind; items?: Kind } {
  const f = fields.find((x) => x.path === path);
  if (!f) return { kind: 'any' };
  return f.items ? { kind: f.kind, items: f.items } : { kind: f.kind };
}
