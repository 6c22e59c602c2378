import type { ApiClient } from '../api/client';
import type { DefinitionDraft, DefinitionSummary, PublishedVersion } from '../api/designerEndpoints';
import { seg } from '../api/endpoints';
import type { Dashboard } from '../api/types';
import type { JsonObject } from './types';

// The definition routes for dashboards (server/handlers_definitions.go, kind "dashboard")
// and the list of published dashboards the caller may view (handlers_dashboards.go).

const path = (tenant: string, key: string) => `/t/${seg(tenant)}/definitions/dashboard/${seg(key)}`;

/** listDashboardDefinitions lists every dashboard of the tenant, published or only drafted. */
export async function listDashboardDefinitions(api: ApiClient, tenant: string): Promise<DefinitionSummary[]> {
  return (await api.get<{ definitions: DefinitionSummary[] | null }>(`/t/${seg(tenant)}/definitions/dashboard`)).definitions ?? [];
}

/** listDashboards lists the published dashboards the caller may view, with their names. */
export async function listDashboards(api: ApiClient, tenant: string): Promise<Dashboard[]> {
  return (await api.get<{ dashboards: Dashboard[] | null }>(`/t/${seg(tenant)}/dashboards`)).dashboards ?? [];
}

/** saveDashboardDraft stores body as the draft, valid or not; the answer lists its problems. */
export const saveDashboardDraft = (api: ApiClient, tenant: string, key: string, body: JsonObject) =>
  api.request<DefinitionDraft>('PUT', path(tenant, key), body);

export const getDashboardVersion = (api: ApiClient, tenant: string, key: string, version: number) =>
  api.get<PublishedVersion>(`${path(tenant, key)}/versions/${version}`);

