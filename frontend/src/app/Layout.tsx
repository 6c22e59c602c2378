import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { ErrorNotice } from '../components/ErrorNotice';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../session/SessionContext';
import { TaskCountsProvider } from './TaskCountsContext';
import { TenantNav } from './TenantNav';

/**
 * Layout is the frame of every signed-in page: the navigation the person's role has
 * pages for, who is signed in, the language switch and logout.
 */
export function Layout() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  const [error, setError] = useState<unknown>();
  if (!user) return null;

  // Once signed out, RequireSession takes the person to the login page.
  const onLogout = async () => {
    setError(undefined);
    try {
      await signOut();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <TaskCountsProvider tenant={user.platform_admin ? '' : user.tenant}>
      <div className="shell">
        <a className="skip-link" href="#main">
          {t('app.skipToContent')}
        </a>
        <header className="shell-header">
          <span className="brand">{t('app.name')}</span>
          <nav aria-label={t('nav.label')}>
            {user.platform_admin ? (
              <ul className="nav">
                <li>
                  <NavLink to="/tenants">{t('nav.tenants')}</NavLink>
                </li>
              </ul>
            ) : (
              <TenantNav />
            )}
          </nav>
          <div className="shell-user">
            <span className="who">
              {t('session.signedInAs', { name: user.name })}
              <span className="scope">
                {user.platform_admin ? t('session.platform') : t('session.tenant', { tenant: user.tenant })}
              </span>
            </span>
            <LanguageSwitch />
            <button type="button" onClick={() => void onLogout()}>
              {t('session.logout')}
            </button>
          </div>
        </header>
        {error ? <ErrorNotice error={error} /> : null}
        <main id="main" className="shell-main">
          <Outlet />
        </main>
      </div>
    </TaskCountsProvider>
  );
}
