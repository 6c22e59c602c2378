import type { Principal } from '../api/types';

/** ADMIN_ROLE is every tenant's built-in role: every right, which nobody can change. */
export const ADMIN_ROLE = 'admin';

/**
 * canDo tells whether the signed-in person may take action on object, by the `can` map
 * the server sent with the session. A session without one (the platform administrator,
 * who has no tenant objects) may do nothing, unless the person holds the tenant's
 * built-in administrator role, which has every right. The server still decides on
 * every request; this only keeps entry points that would be refused out of sight.
 *
 * @example
 * canDo(user, 'admin:definitions', 'update') // true for whoever may save designs
 */
export function canDo(user: Principal | null | undefined, object: string, action: string): boolean {
  if (!user || user.platform_admin) return false;
  if (!user.can) return user.roles.includes(ADMIN_ROLE);
  return user.can[object]?.includes(action) ?? false;
}
