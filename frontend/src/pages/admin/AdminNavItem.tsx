import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useAdminAreas } from './useAdminAreas';

/**
 * AdminNavItem is the navigation's entry to the administration pages, shown only to
 * people the server lets use at least one of them.
 *
 * @example
 * <ul className="nav"><AdminNavItem /></ul>
 */
export function AdminNavItem() {
  const { t } = useTranslation();
  const areas = useAdminAreas();
  if (areas.length === 0) return null;
  return (
    <li>
      <NavLink to="/admin">{t('nav.admin')}</NavLink>
    </li>
  );
}
