import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useParams, type Params } from 'react-router';
import type { Principal } from '../core/api/types';
import { NotAllowedPage } from '../pages/NotAllowedPage';
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

/**
 * RequireCan shows a page only to people the session's `can` map lets use it (may is
 * asked with the route's parameters), and the not-allowed page to anyone else, instead
 * of a page whose requests the server would all refuse. The map is asked for again
 * before saying no, since it may be older than the page: a dashboard published or a
 * policy changed since the person logged in.
 *
 * @example
 * <RequireCan may={(user) => mayUse(user, 'designer')}><DesignsPage /></RequireCan>
 */
export function RequireCan({ may, children }: { may: (user: Principal | null, params: Readonly<Params>) => boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const { user, refresh } = useSession();
  const params = useParams();
  const where = useLocation().pathname;
  const allowed = may(user, params);
  const [checked, setChecked] = useState<string>();
  useEffect(() => {
    if (allowed || checked === where) return;
    let live = true;
    void refresh()
      .catch(() => undefined)
      .then(() => live && setChecked(where));
    return () => {
      live = false;
    };
  }, [allowed, checked, where, refresh]);
  if (allowed) return <>{children}</>;
  if (checked !== where) return <p className="loading">{t('app.loading')}</p>;
  return <NotAllowedPage />;
}
