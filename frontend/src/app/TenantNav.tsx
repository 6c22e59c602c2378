import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { getDashboard } from '../core/api/dashboardEndpoints';
import { AdminNavItem } from '../pages/admin/AdminNavItem';
import { useLoad } from '../hooks/useLoad';
import { useApi } from './ApiContext';
import { useTaskCounts } from './TaskCountsContext';

/**
 * COCKPIT is the dashboard the navigation offers. The API lists no dashboards to those
 * who may not read definitions, so the app asks for this one and offers it only when
 * the server lets the person see it.
 */
export const COCKPIT = 'cockpit';

/**
 * TenantNav is a tenant user's navigation: forms, the task inbox with its open and
 * overdue counts, and the cockpit when they may view it.
 */
export function TenantNav({ tenant }: { tenant: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { counts } = useTaskCounts();
  const cockpit = useLoad(() => getDashboard(api, tenant, COCKPIT), [api, tenant]);

  return (
    <ul className="nav">
      <li>
        <NavLink to="/forms">{t('nav.forms')}</NavLink>
      </li>
      <li>
        <NavLink to="/tasks">
          {t('nav.tasks')}
          {counts ? ' ' : null}
          {counts ? (
            <span className="nav-counts">
              <span className="count-badge">{t('nav.openTasks', { count: counts.open })}</span>
              {counts.overdue > 0 ? ' ' : null}
              {counts.overdue > 0 ? (
                <span className="count-badge count-overdue">{t('nav.overdueTasks', { count: counts.overdue })}</span>
              ) : null}
            </span>
          ) : null}
        </NavLink>
      </li>
      {cockpit.data ? (
        <li>
          <NavLink to={`/dashboards/${COCKPIT}`}>{t('nav.cockpit')}</NavLink>
        </li>
      ) : null}
      <AdminNavItem />
    </ul>
  );
}
