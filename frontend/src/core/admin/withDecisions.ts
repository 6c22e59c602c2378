import type { Permission } from '../api/adminEndpoints';
import { decide } from './decide';

/** Wants names, per action, whether the server should allow it on an object. */
export type Wants = Partial<Record<string, boolean>>;

/**
 * withDecisions changes a role's rules as little as possible so that each action of
 * wants is allowed or denied on object: an action already decided as wanted keeps its
 * rules; otherwise the rules naming exactly this object and action are replaced by the
 * one allow or deny the wildcard rules still need (none when they already decide it).
 * Rules on other objects or actions are kept as they are and in their order; new rules
 * come last. It answers null when a wildcard deny makes an allow impossible here.
 *
 * @example
 * withDecisions([{ object: 'form:loan/*', action: 'read' }], 'form:loan/field:phone', { read: false })
 * // { permissions: [form:loan/* read, form:loan/field:phone read deny], added: [the deny] }
 */
export function withDecisions(
  perms: readonly Permission[],
  object: string,
  wants: Wants,
): { permissions: Permission[]; added: Permission[] } | null {
  let kept = [...perms];
  const added: Permission[] = [];
  for (const [action, want] of Object.entries(wants)) {
    if (want === undefined || (decide(perms, object, action) === 'allow') === want) continue;
    kept = kept.filter((p) => p.object !== object || p.action !== action);
    const inherited = decide(kept, object, action);
    if (want && inherited === 'deny') return null;
    if (want && inherited === 'none') added.push({ object, action, effect: 'allow' });
    if (!want && inherited === 'allow') added.push({ object, action, effect: 'deny' });
  }
  return { permissions: [...kept, ...added], added };
}
