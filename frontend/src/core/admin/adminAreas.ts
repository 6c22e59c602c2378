import { listAudit, listPlugins, listRoles, listUsers } from '../api/adminEndpoints';
import type { ApiClient } from '../api/client';
import { listForms } from '../api/endpoints';
import type { Principal } from '../api/types';

/** ADMIN_AREAS are the administration pages, in the order the navigation lists them. */
export const ADMIN_AREAS = ['users', 'roles', 'permissions', 'plugins', 'imports', 'audit'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

/**
 * adminAreas asks the server which administration pages the person may use. The
 * built-in admin role holds every right and cannot be restricted, so it needs no
 * question; anyone else gets each page whose first read the server answers (the
 * permission grid goes with the roles, imports with the right to create records of
 * some form). Any refusal hides the page; the pages still explain a later 403.
 *
 * @example
 * await adminAreas(api, user) // ["roles", "permissions", "audit"] for the demo auditor
 */
export async function adminAreas(api: ApiClient, user: Principal): Promise<AdminArea[]> {
  if (user.platform_admin) return [];
  if (user.roles.includes('admin')) return [...ADMIN_AREAS];
  const ok = (p: Promise<unknown>) => p.then(() => true, () => false);
  const tenant = user.tenant;
  const [users, roles, plugins, imports, audit] = await Promise.all([
    ok(listUsers(api, tenant, { limit: 1 })),
    ok(listRoles(api, tenant)),
    ok(listPlugins(api, tenant)),
    listForms(api, tenant).then((fs) => fs.some((f) => f.create), () => false),
    ok(listAudit(api, tenant, { limit: 1 })),
  ]);
  const allowed: Record<AdminArea, boolean> = { users, roles, permissions: roles, plugins, imports, audit };
  return ADMIN_AREAS.filter((a) => allowed[a]);
}
