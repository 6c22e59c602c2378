import { useApi } from '../../app/ApiContext';
import { rolePermissions } from '../../core/api/designerEndpoints';
import { mayEditDefinitions } from '../../core/designer/mayEditDefinitions';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/** ADMIN_ROLE is every tenant's built-in role: every permission, which nobody can change. */
const ADMIN_ROLE = 'admin';

/**
 * useCanDesign tells whether to offer the form designer to the signed-in person: yes
 * for the tenant's administrators (their built-in role has every right), else when the
 * rules of their roles allow saving definitions. A role whose rules the person may not
 * read counts as not allowing it. The server still decides on every save.
 *
 * @example
 * const canDesign = useCanDesign();
 * {canDesign ? <Link to="/designer/new">{t('designer.newForm')}</Link> : null}
 */
export function useCanDesign(): boolean {
  const api = useApi();
  const { user } = useSession();
  const tenant = user && !user.platform_admin ? user.tenant : '';
  const roles = user?.roles ?? [];
  const decided = useLoad(async () => {
    if (!tenant) return false;
    if (roles.includes(ADMIN_ROLE)) return true;
    const rules = await Promise.all(roles.map((r) => rolePermissions(api, tenant, r).catch(() => [])));
    return mayEditDefinitions(rules);
  }, [api, tenant, roles.join(',')]);
  return decided.data === true;
}
