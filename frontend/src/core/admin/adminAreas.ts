import type { Principal } from '../api/types';
import { mayUse } from '../can/mayUse';

/** ADMIN_AREAS are the administration pages, in the order the navigation lists them. */
export const ADMIN_AREAS = ['users', 'roles', 'permissions', 'plugins', 'imports', 'audit'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

/**
 * adminAreas lists the administration pages the person may use, by the `can` map the
 * server sent with the session (the permission grid goes with the roles, imports with
 * the right to create records of some form). The pages still explain a later 403.
 *
 * @example
 * adminAreas(user) // ["roles", "permissions", "audit"] for the demo auditor
 */
export function adminAreas(user: Principal | null | undefined): AdminArea[] {
  return ADMIN_AREAS.filter((a) => mayUse(user, a));
}
