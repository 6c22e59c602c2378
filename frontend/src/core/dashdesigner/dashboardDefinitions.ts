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

export const getDashboardDraft = (api: ApiClient, tenant: string, key: string) => api.get<DefinitionDraft>(path(tenant, key));

/** saveDashboardDraft stores body as the draft, valid or not; the answer lists its problems. */
export const saveDashboardDraft = (api: ApiClient, tenant: string, key: string, body: JsonObject) =>
  api.request<DefinitionDraft>('PUT', path(tenant, key), body);

/** publishDashboard publishes the saved draft as the next version (422 invalid_definition with every problem). */
export const publishDashboard = (api: ApiClient, tenant: string, key: string, note: string) =>
  api.post<PublishedVersion>(`${path(tenant, key)}/publish`, note ? { note } : {});

export async function listDashboardVersions(api: ApiClient, tenant: string, key: string): Promise<PublishedVersion[]> {
  return (await api.get<{ versions: PublishedVersion[] | null }>(`${path(tenant, key)}/versions`)).versions ?? [];
}

export const getDashboardVersion = (api: ApiClient, tenant: string, key: string, version: number) =>
  api.get<PublishedVersion>(`${path(tenant, key)}/versions/${version}`);

/** rollbackDashboard publishes version to's body again, as a new version. */
export const rollbackDashboard = (api: ApiClient, tenant: string, key: string, to: number) =>
  api.post<PublishedVersion>(`${path(tenant, key)}/rollback`, { to });
