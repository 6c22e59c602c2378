import type { FieldAccess } from '../api/types';

/**
 * guessMapping proposes the field each column fills, as the server does without a
 * mapping: a header that is a field's key or one of its labels (any language, any
 * case) names it, a key winning over another field's label. Only fields the person may
 * write are proposed, each for one column at most; other columns map to "" (skipped).
 *
 * @example
 * guessMapping(['客户姓名', 'Note'], fields) // { 客户姓名: 'name', Note: '' }
 */
export function guessMapping(headers: readonly string[], fields: readonly FieldAccess[]): Record<string, string> {
  const names = new Map<string, string>();
  const writable = fields.filter((f) => f.write && !f.computed);
  for (const f of writable) for (const l of Object.values(f.label ?? {})) names.set(l.trim().toLowerCase(), f.name);
  for (const f of writable) names.set(f.name.toLowerCase(), f.name);
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const h of headers) {
    if (h === '' || h in out) continue;
    const field = names.get(h.toLowerCase()) ?? '';
    out[h] = field && !used.has(field) ? field : '';
    if (out[h]) used.add(field);
  }
  return out;
}
