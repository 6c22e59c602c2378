import type { ApiClient } from './client';
import { seg } from './endpoints';

// The tenant administration routes: users and roles (server/handlers_users.go), plugin
// bindings (handlers_plugins.go), imports (handlers_import.go) and the audit log
// (handlers_audit.go). Shapes follow server/openapi.json.

/** AdminUser is a member of the tenant as the users routes answer it. */
export interface AdminUser {
  id: string;
  tenant: string;
  email: string;
  name: string;
  roles: string[];
  attrs?: Record<string, string>;
  manager?: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface UserInput {
  email: string;
  name: string;
  password: string;
  roles?: string[];
}

/** UserUpdate is the body of PATCH …/users/{id}: absent members stay as they are. */
export interface UserUpdate {
  email?: string;
  name?: string;
  password?: string;
  roles?: string[];
  disabled?: boolean;
}

export interface UserPage {
  users: AdminUser[];
  next?: string;
}

/** Role is a named set of permissions; row_scopes maps a form key to a CEL filter. */
export interface Role {
  key: string;
  name: string;
  row_scopes?: Record<string, string>;
  built_in: boolean;
  created_at: string;
  updated_at: string;
}

export interface RoleInput {
  key: string;
  name: string;
}

/** Permission is one rule of a role: effect (allow when absent) action on object. */
export interface Permission {
  object: string;
  action: string;
  effect?: 'allow' | 'deny';
}

/** PluginEntry is one installed plugin version a tenant may bind. */
export interface PluginEntry {
  name: string;
  version: string;
  kinds: string[];
  description?: string;
  /** config_schema is the JSON Schema of the binding's configuration. */
  config_schema?: JsonSchema;
}

/** JsonSchema is a JSON Schema document, read loosely. */
export type JsonSchema = { [key: string]: unknown };

export interface PluginBinding {
  kind: string;
  plugin: string;
  version: string;
  config: unknown;
  updated_at: string;
  updated_by: string;
  revision: number;
}

export interface Plugins {
  plugins: PluginEntry[];
  bindings: PluginBinding[];
}

/** BindingInput is the body of PUT …/plugins/{kind}. */
export interface BindingInput {
  plugin: string;
  version: string;
  config: unknown;
  /** revision is the binding revision read; the server refuses the change if it moved on. */
  revision?: number;
}

/** ImportSpec is the mapping part of an upload: which column fills which field. */
export interface ImportSpec {
  columns?: Record<string, string>;
  sheet?: string;
  header_row?: number;
  key?: string;
  decide?: boolean;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface ImportJob {
  id: string;
  form: string;
  file_name: string;
  format: string;
  sheet?: string;
  header_row: number;
  status: ImportStatus;
  columns: Record<string, string>;
  key?: string;
  decide: boolean;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  progress: { percent: number; rows: number; rows_per_second: number };
  counts: { accepted: number; rejected: number; duplicates: number };
  rejects_truncated?: boolean;
  error?: { code: string; message: string };
}

/** ImportReject is one problem of a rejected row: where it is and why. */
export interface ImportReject {
  row: number;
  column?: string;
  field?: string;
  code: string;
  reason: string;
}

export interface ImportRejects {
  job: string;
  counts: ImportJob['counts'];
  truncated: boolean;
  rejects: ImportReject[];
}

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: string;
  object: string;
  client?: string;
  request_id?: string;
  diff?: Record<string, { from?: unknown; to?: unknown }>;
  detail?: Record<string, unknown>;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[] | null;
  next?: string;
}

/** AuditQuery filters the audit log; times are RFC 3339. */
export interface AuditQuery {
  object?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** AuditVerification is the outcome of walking the tenant's hash chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  head_seq: number;
  head_hash: string;
  problems: Array<{ seq: number; message: string }> | null;
}

const t = (tenant: string) => `/t/${seg(tenant)}`;

export const listUsers = (api: ApiClient, tenant: string, opts: { limit?: number; cursor?: string | undefined } = {}) =>
  api.get<UserPage>(`${t(tenant)}/users`, { limit: opts.limit, cursor: opts.cursor });

export const createUser = (api: ApiClient, tenant: string, input: UserInput) => api.post<AdminUser>(`${t(tenant)}/users`, input);

export const updateUser = (api: ApiClient, tenant: string, id: string, up: UserUpdate) =>
  api.patch<AdminUser>(`${t(tenant)}/users/${seg(id)}`, up);

export async function listRoles(api: ApiClient, tenant: string): Promise<Role[]> {
  return (await api.get<{ roles: Role[] | null }>(`${t(tenant)}/roles`)).roles ?? [];
}

export const createRole = (api: ApiClient, tenant: string, input: RoleInput) => api.post<Role>(`${t(tenant)}/roles`, input);

/** setRowScopes replaces every row scope of a role (PATCH …/roles/{role}). */
export const setRowScopes = (api: ApiClient, tenant: string, role: string, scopes: Record<string, string>) =>
  api.patch<Role>(`${t(tenant)}/roles/${seg(role)}`, { row_scopes: scopes });

/** RolePermissions are a role's permissions and the tenant's policy revision they were read at. */
export interface RolePermissions {
  permissions: Permission[];
  revision: number;
}

export async function getPermissions(api: ApiClient, tenant: string, role: string): Promise<RolePermissions> {
  const res = await api.get<{ permissions: Permission[] | null; revision: number }>(`${t(tenant)}/roles/${seg(role)}/permissions`);
  return { permissions: res.permissions ?? [], revision: res.revision };
}

/**
 * putPermissions replaces a role's permissions, on condition that the tenant's policy is
 * still at revision (else 409 stale_permissions), and answers them as stored.
 */
export async function putPermissions(api: ApiClient, tenant: string, role: string, permissions: Permission[], revision: number): Promise<Permission[]> {
  const res = await api.request<{ permissions: Permission[] | null }>('PUT', `${t(tenant)}/roles/${seg(role)}/permissions`, { permissions, revision });
  return res.permissions ?? [];
}

export async function listPlugins(api: ApiClient, tenant: string): Promise<Plugins> {
  const res = await api.get<{ plugins: PluginEntry[] | null; bindings: PluginBinding[] | null }>(`${t(tenant)}/plugins`);
  return { plugins: res.plugins ?? [], bindings: res.bindings ?? [] };
}

export const putBinding = (api: ApiClient, tenant: string, kind: string, input: BindingInput) =>
  api.request<PluginBinding>('PUT', `${t(tenant)}/plugins/${seg(kind)}`, input);

/** deleteBinding unbinds a kind, only if the binding is still at revision. */
export const deleteBinding = (api: ApiClient, tenant: string, kind: string, revision: number) =>
  api.request<void>('DELETE', `${t(tenant)}/plugins/${seg(kind)}?revision=${revision}`);

const importsPath = (tenant: string, form: string) => `${t(tenant)}/forms/${seg(form)}/imports`;

/** startImport uploads a CSV or .xlsx file with its mapping; the job runs on the server. */
export function startImport(api: ApiClient, tenant: string, form: string, file: File, spec: ImportSpec): Promise<ImportJob> {
  const body = new FormData();
  body.append('file', file, file.name);
  body.append('mapping', JSON.stringify(spec));
  return api.request<ImportJob>('POST', importsPath(tenant, form), body);
}

export const getImport = (api: ApiClient, tenant: string, form: string, job: string) =>
  api.get<ImportJob>(`${importsPath(tenant, form)}/${seg(job)}`);

export async function importRejects(api: ApiClient, tenant: string, form: string, job: string): Promise<ImportRejects> {
  const res = await api.get<ImportRejects>(`${importsPath(tenant, form)}/${seg(job)}/rejects`, { format: 'json' });
  return { ...res, rejects: res.rejects ?? [] };
}

/** rejectsCsvHref is the rejected-rows report as CSV, for a download link. */
export const rejectsCsvHref = (api: ApiClient, tenant: string, form: string, job: string) =>
  api.href(`${importsPath(tenant, form)}/${seg(job)}/rejects`, { format: 'csv' });

export const listAudit = (api: ApiClient, tenant: string, q: AuditQuery & { limit?: number; cursor?: string | undefined }) =>
  api.get<AuditPage>(`${t(tenant)}/audit`, { ...q });

export const verifyAudit = (api: ApiClient, tenant: string) => api.get<AuditVerification>(`${t(tenant)}/audit/verify`);
