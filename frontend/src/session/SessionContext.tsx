import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../app/ApiContext';
import { ApiError } from '../core/api/apiError';
import { login, logout, me } from '../core/api/endpoints';
import type { Principal } from '../core/api/types';

/** Session is who is signed in, and the two things one does with a session. */
export interface Session {
  /**
   * status is "loading" until the server has said whether a session cookie is valid;
   * "signed-out" after the person logged out here, "anonymous" otherwise without a session.
   */
  status: 'loading' | 'anonymous' | 'signed-out' | 'signed-in';
  user: Principal | null;
  /** ended is true when the server ended the session under the person's feet. */
  ended: boolean;
  signIn(tenant: string, email: string, password: string): Promise<Principal>;
  signOut(): Promise<void>;
  /**
   * refresh asks the server again who is signed in and what they may do (the `can` map
   * changes when policies change or a dashboard is published); a lost session ends as
   * any other request's would.
   */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** SessionProvider asks the server who is signed in and keeps the answer current. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [user, setUser] = useState<Principal | null>(null);
  const [status, setStatus] = useState<Session['status']>('loading');
  const [ended, setEnded] = useState(false);

  useEffect(() => {
    let live = true;
    me(api).then(
      (u) => live && (setUser(u), setStatus('signed-in')),
      () => live && setStatus('anonymous'),
    );
    return () => {
      live = false;
    };
  }, [api]);

  useEffect(
    () =>
      api.onSessionLost(() => {
        setUser((was) => {
          if (was) setEnded(true);
          return null;
        });
        setStatus('anonymous');
        api.csrf.clear();
      }),
    [api],
  );

  const signIn = useCallback(
    async (tenant: string, email: string, password: string) => {
      const u = await login(api, tenant, email, password);
      setUser(u);
      setEnded(false);
      setStatus('signed-in');
      return u;
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await logout(api);
    } catch (err) {
      // A session the server already forgot is logged out all the same.
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
    setUser(null);
    setStatus('signed-out');
  }, [api]);

  const refresh = useCallback(async () => {
    try {
      setUser(await me(api));
    } catch (err) {
      // A 401 ends the session through onSessionLost; anything else keeps what is known.
      if (!(err instanceof ApiError)) throw err;
    }
  }, [api]);

  const value = useMemo(() => ({ status, user, ended, signIn, signOut, refresh }), [status, user, ended, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/**
 * useSession returns the current session.
 *
 * @example
 * const { user, signOut } = useSession();
 */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
