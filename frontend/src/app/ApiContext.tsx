import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../core/api/client';

const ApiContext = createContext<ApiClient | null>(null);

/** ApiProvider hands the one API client to every page below it. */
export function ApiProvider({ api, children }: { api: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/**
 * useApi returns the API client.
 *
 * @example
 * const api = useApi();
 * const tenants = await listTenants(api);
 */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
