import { useEffect, useState } from 'react';
import { useApi } from '../../app/ApiContext';
import type { ApiClient } from '../../core/api/client';
import type { Principal } from '../../core/api/types';
import { adminAreas, type AdminArea } from '../../core/admin/adminAreas';
import { useSession } from '../../session/SessionContext';

// One answer per signed-in person and client: the navigation and the administration
// pages ask together, and the server is asked once.
const asked = new WeakMap<ApiClient, Map<string, Promise<AdminArea[]>>>();
// The answers already in, so a page mounted later shows its navigation at once.
const answered = new WeakMap<ApiClient, Map<string, AdminArea[]>>();

const keyOf = (user: Principal) => `${user.tenant}\n${user.id}\n${user.roles.join(',')}`;

function areasOnce(api: ApiClient, user: Principal): Promise<AdminArea[]> {
  let byUser = asked.get(api);
  if (!byUser) asked.set(api, (byUser = new Map()));
  const key = keyOf(user);
  let p = byUser.get(key);
  if (!p) {
    p = adminAreas(api, user).then((areas) => {
      let done = answered.get(api);
      if (!done) answered.set(api, (done = new Map()));
      done.set(key, areas);
      return areas;
    });
    byUser.set(key, p);
  }
  return p;
}

/**
 * useAdminAreas returns the administration pages the signed-in person may use, or
 * undefined while the server is being asked.
 *
 * @example
 * const areas = useAdminAreas();
 * if (areas?.includes('audit')) …
 */
export function useAdminAreas(): AdminArea[] | undefined {
  const api = useApi();
  const { user } = useSession();
  const [areas, setAreas] = useState<{ user: Principal; areas: AdminArea[] } | undefined>(() => {
    const known = user && answered.get(api)?.get(keyOf(user));
    return user && known ? { user, areas: known } : undefined;
  });
  useEffect(() => {
    if (!user) return;
    let live = true;
    void areasOnce(api, user).then((a) => live && setAreas({ user, areas: a }));
    return () => {
      live = false;
    };
  }, [api, user]);
  return areas && areas.user === user ? areas.areas : undefined;
}
