import type { Principal } from '../api/types';
import { canDo } from './canDo';

/** ENTRY_POINTS are the parts of the app offered only to those who may use them. */
export const ENTRY_POINTS = ['designer', 'users', 'roles', 'permissions', 'plugins', 'imports', 'audit', 'allTasks'] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/**
 * mayUse tells whether to offer one part of the app to the signed-in person, by the
 * first check its page's requests meet on the server: the designers (forms, flows,
 * rules, dashboards) save definitions; users, roles and the permission grid read their
 * objects; imports need the right to create records of some form; "all tasks" needs
 * admin:tasks.
 *
 * @example
 * mayUse(user, 'designer') ? <Link to="/designer/forms">…</Link> : null
 */
export function mayUse(user: Principal | null | undefined, entry: EntryPoint): boolean {
  switch (entry) {
    case 'designer':
      return canDo(user, 'admin:definitions', 'update');
    case 'users':
      return canDo(user, 'admin:users', 'read');
    case 'roles':
    case 'permissions':
      return canDo(user, 'admin:roles', 'read');
    case 'plugins':
      return canDo(user, 'admin:plugins', 'read');
    case 'audit':
      return canDo(user, 'admin:audit', 'read');
    case 'allTasks':
      return canDo(user, 'admin:tasks', 'read');
    case 'imports':
      // Without a can map, canDo answers by the built-in administrator role alone.
      if (!user?.can) return canDo(user, 'form:', 'create');
      return Object.entries(user.can).some(([obj, acts]) => obj.startsWith('form:') && acts.includes('create'));
  }
}
