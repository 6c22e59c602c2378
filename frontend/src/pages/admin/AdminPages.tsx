import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, Route, Routes } from 'react-router';
import type { AdminArea } from '../../core/admin/adminAreas';
import { AuditPage } from './AuditPage';
import { ImportPage } from './ImportPage';
import { PermissionsPage } from './PermissionsPage';
import { PluginsPage } from './PluginsPage';
import { RolesPage } from './RolesPage';
import { useAdminAreas } from './useAdminAreas';
import { UsersPage } from './UsersPage';
import './admin.css';

const PAGES: Record<AdminArea, () => React.JSX.Element> = {
  users: UsersPage,
  roles: RolesPage,
  permissions: PermissionsPage,
  plugins: PluginsPage,
  imports: ImportPage,
  audit: AuditPage,
};

/**
 * AdminPages is the administration part of the app (under /admin, loaded on first
 * visit): users and roles, the field-permission grid, plugin bindings, imports and the
 * audit log, each offered only to people the server lets use it.
 */
export function AdminPages() {
  const areas = useAdminAreas();
  return (
    <Routes>
      <Route element={<AdminLayout areas={areas} />}>
        <Route index element={<FirstArea areas={areas} />} />
        {(Object.keys(PAGES) as AdminArea[]).map((area) => {
          const Page = PAGES[area];
          return <Route key={area} path={area} element={<Allowed areas={areas} area={area}><Page /></Allowed>} />;
        })}
      </Route>
    </Routes>
  );
}

function AdminLayout({ areas }: { areas: AdminArea[] | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="admin">
      <nav aria-label={t('admin.nav')} className="admin-nav">
        <ul>
          {(areas ?? []).map((a) => (
            <li key={a}>
              <NavLink to={`/admin/${a}`}>{t(`admin.area.${a}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {areas === undefined ? <p className="loading">{t('app.loading')}</p> : null}
      <Outlet />
    </div>
  );
}

/** FirstArea opens the first page the person may use, or says there is none. */
function FirstArea({ areas }: { areas: AdminArea[] | undefined }) {
  const { t } = useTranslation();
  if (!areas) return null;
  if (!areas[0]) return <p className="notice">{t('admin.nothing')}</p>;
  return <Navigate to={areas[0]} replace />;
}

function Allowed({ areas, area, children }: { areas: AdminArea[] | undefined; area: AdminArea; children: React.ReactNode }) {
  const { t } = useTranslation();
  if (!areas) return null;
  if (!areas.includes(area)) return <p className="notice">{t('admin.notAllowed')}</p>;
  return <>{children}</>;
}
