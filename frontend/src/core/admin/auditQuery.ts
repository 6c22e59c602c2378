import type { AuditQuery } from '../api/adminEndpoints';

/** AuditFilters are the audit page's filter inputs; dates are YYYY-MM-DD in the reader's time zone. */
export interface AuditFilters {
  object: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}

/**
 * auditQuery turns the audit filters into the server's query: whole days in the
 * reader's time zone become RFC 3339 instants, "to" including its whole day (the
 * server's bound is exclusive); empty filters are left out.
 *
 * @example
 * auditQuery({ object: 'role:', actor: '', action: 'policy_change', from: '2026-11-01', to: '' })
 * // { object: 'role:', action: 'policy_change', from: '2026-10-31T16:00:00.000Z' } in Beijing
 */
export function auditQuery(f: AuditFilters): AuditQuery {
  const q: AuditQuery = {};
  if (f.object.trim()) q.object = f.object.trim();
  if (f.actor.trim()) q.actor = f.actor.trim();
  if (f.action) q.action = f.action;
  const from = startOfDay(f.from, 0);
  const to = startOfDay(f.to, 1);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

function startOfDay(date: string, plusDays: number): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}
