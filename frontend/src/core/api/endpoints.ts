import type { ApiClient } from './client';
import type {
  DefinitionSummary,
  FormAccess,
  FormVersion,
  LoginResponse,
  Principal,
  RecordPage,
  Tenant,
  TenantInput,
  TenantStatus,
} from './types';

// One function per route this app uses; paths and shapes follow server/openapi.json.

const seg = encodeURIComponent;

/** login opens a cookie session and keeps its CSRF token for the requests that follow. */
export async function login(api: ApiClient, tenant: string, email: string, password: string): Promise<Principal> {
  const res = await api.post<LoginResponse>('/auth/login', { tenant, email, password });
  api.csrf.set(res.csrf_token);
  return res.user;
}

export async function logout(api: ApiClient): Promise<void> {
  try {
    await api.post<void>('/auth/logout');
  } finally {
    api.csrf.clear();
  }
}

export const me = (api: ApiClient) => api.get<Principal>('/auth/me');

export async function listTenants(api: ApiClient): Promise<Tenant[]> {
  return (await api.get<{ tenants: Tenant[] }>('/tenants')).tenants;
}

export const createTenant = (api: ApiClient, input: TenantInput) => api.post<Tenant>('/tenants', input);

export const setTenantStatus = (api: ApiClient, slug: string, status: TenantStatus) =>
  api.patch<Tenant>(`/tenants/${seg(slug)}`, { status });

export async function listFormDefinitions(api: ApiClient, tenant: string): Promise<DefinitionSummary[]> {
  return (await api.get<{ definitions: DefinitionSummary[] }>(`/t/${seg(tenant)}/definitions/form`)).definitions;
}

export const getFormVersion = (api: ApiClient, tenant: string, key: string, version: number) =>
  api.get<FormVersion>(`/t/${seg(tenant)}/definitions/form/${seg(key)}/versions/${version}`);

export const getFormAccess = (api: ApiClient, tenant: string, form: string) =>
  api.get<FormAccess>(`/t/${seg(tenant)}/forms/${seg(form)}/access`);

export const listRecords = (api: ApiClient, tenant: string, form: string, opts: { limit: number; cursor?: string | undefined }) =>
  api.get<RecordPage>(`/t/${seg(tenant)}/forms/${seg(form)}/records`, {
    limit: opts.limit,
    cursor: opts.cursor,
    sort: '-_created_at',
  });
