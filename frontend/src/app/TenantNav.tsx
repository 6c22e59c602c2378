import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { canDo } from '../core/can/canDo';
import { mayUse } from '../core/can/mayUse';
import { AdminNavItem } from '../pages/admin/AdminNavItem';
import { useSession } from '../session/SessionContext';
import { useTaskCounts } from './TaskCountsContext';

/** COCKPIT is the dashboard the navigation offers, to those the session's can map lets view it. */
export const COCKPIT = 'cockpit';

/**
 * TenantNav is a tenant user's navigation: forms, the task inbox with its open and
 * overdue counts, the cockpit, the designs and the administration, each only when the
 * session's can map lets them use it.
 */
export function TenantNav() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { counts } = useTaskCounts();

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
      {canDo(user, `dashboard:${COCKPIT}`, 'read') ? (
        <li>
          <NavLink to={`/dashboards/${COCKPIT}`}>{t('nav.cockpit')}</NavLink>
        </li>
      ) : null}
      {mayUse(user, 'designer') ? (
        <li>
          <NavLink to="/designer/forms">{t('nav.designs')}</NavLink>
        </li>
      ) : null}
      <AdminNavItem />
    </ul>
  );
}
