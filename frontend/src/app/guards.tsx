import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/SessionContext';

/**
 * RequireSession sends visitors without a session to the login page, remembering where
 * they were going, unless they just logged out: the next person starts at home.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <p className="loading">{t('app.loading')}</p>;
  if (status === 'signed-out') return <Navigate to="/login" replace />;
  if (status === 'anonymous') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** RequireRole keeps a page to the platform administrator, or to tenant users. */
export function RequireRole({ platform, children }: { platform: boolean; children: ReactNode }) {
  const { user } = useSession();
  if (!user || user.platform_admin !== platform) return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** HomeRedirect opens the first page of the person's role. */
export function HomeRedirect() {
  const { user } = useSession();
  return <Navigate to={user?.platform_admin ? '/tenants' : '/forms'} replace />;
}
