import type { ApiClient } from './client';
import type {
  DefinitionVersion,
  FormAccess,
  FormRecord,
  LoginResponse,
  Principal,
  RecordFlows,
  RecordPage,
  RuleRun,
  Tenant,
  TenantInput,
  TenantStatus,
} from './types';

// One function per route of the session, tenants, forms and records; tasks and
// dashboards have their own files. Paths and shapes follow server/openapi.json.

/** seg encodes one path segment. */
export const seg = encodeURIComponent;

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

/** getDefinitionVersion reads one published version of a definition (needs admin:definitions read). */
export const getDefinitionVersion = <Body>(api: ApiClient, tenant: string, kind: string, key: string, version: number) =>
  api.get<DefinitionVersion<Body>>(`/t/${seg(tenant)}/definitions/${seg(kind)}/${seg(key)}/versions/${version}`);

/** listForms lists the published forms the caller may read or fill in, with the fields they may see, labelled. */
export async function listForms(api: ApiClient, tenant: string): Promise<FormAccess[]> {
  return (await api.get<{ forms: FormAccess[] }>(`/t/${seg(tenant)}/forms`)).forms;
}

export const getFormAccess = (api: ApiClient, tenant: string, form: string) =>
  api.get<FormAccess>(`/t/${seg(tenant)}/forms/${seg(form)}/access`);

export const listRecords = (api: ApiClient, tenant: string, form: string, opts: { limit: number; cursor?: string | undefined }) =>
  api.get<RecordPage>(`/t/${seg(tenant)}/forms/${seg(form)}/records`, {
    limit: opts.limit,
    cursor: opts.cursor,
    sort: '-_created_at',
  });

const recordPath = (tenant: string, form: string, id: string) => `/t/${seg(tenant)}/forms/${seg(form)}/records/${seg(id)}`;

export const getRecord = (api: ApiClient, tenant: string, form: string, id: string) =>
  api.get<FormRecord>(recordPath(tenant, form, id));

/** recordFlows is what happened to a record in its flows: the instances and the history, step by step. */
export const recordFlows = (api: ApiClient, tenant: string, form: string, id: string) =>
  api.get<RecordFlows>(`${recordPath(tenant, form, id)}/flows`);

export async function ruleRuns(api: ApiClient, tenant: string, form: string, id: string): Promise<RuleRun[]> {
  return (await api.get<{ runs: RuleRun[] | null }>(`${recordPath(tenant, form, id)}/rule-runs`)).runs ?? [];
}
