import type { Permission } from '../api/adminEndpoints';
import { objMatch } from './objMatch';

/** Decision is what a role's rules say about one action on one object. */
export type Decision = 'allow' | 'deny' | 'none';

/**
 * decide evaluates a role's rules the way the server's policy does: a rule counts when
 * its object pattern covers the object (objMatch: wildcards, and a table's rule covers
 * its columns) and its action is the action or "*"; any deny wins over every allow; no
 * rule at all is "none" (which denies too).
 *
 * @example
 * decide([{ object: 'form:loan/*', action: 'read' }], 'form:loan/field:amount', 'read') // "allow"
 */
export function decide(perms: readonly Permission[], object: string, action: string): Decision {
  let allowed = false;
  for (const p of perms) {
    if ((p.action !== action && p.action !== '*') || !objMatch(object, p.object)) continue;
    if (p.effect === 'deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'none';
}
