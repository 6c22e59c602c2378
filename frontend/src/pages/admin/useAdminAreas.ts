import { useMemo } from 'react';
import { adminAreas, type AdminArea } from '../../core/admin/adminAreas';
import { useSession } from '../../session/SessionContext';

/**
 * useAdminAreas returns the administration pages the signed-in person may use.
 *
 * @example
 * const areas = useAdminAreas();
 * if (areas.includes('audit')) …
 */
export function useAdminAreas(): AdminArea[] {
  const { user } = useSession();
  return useMemo(() => adminAreas(user), [user]);
}
