import type { ApiClient } from './client';
import type { DefinitionDraft, DefinitionSummary, PublishedVersion } from './designerEndpoints';
import { seg } from './endpoints';
import type { JsonObject } from '../designer/types';

// The definition routes (server/handlers_definitions.go), the same for every kind the
// designers edit: the draft, publishing, the versions and rollback.

/** DefinitionKind is a kind of definition the designers edit; a rule set is saved under its form's key. */
export type DefinitionKind = 'form' | 'flow' | 'rule' | 'dashboard';

const defPath = (tenant: string, kind: DefinitionKind, key: string) => `/t/${seg(tenant)}/definitions/${kind}/${seg(key)}`;

/** listDefinitions lists every definition of a kind, published or only drafted. */
export async function listDefinitions(api: ApiClient, tenant: string, kind: DefinitionKind): Promise<DefinitionSummary[]> {
  return (await api.get<{ definitions: DefinitionSummary[] | null }>(`/t/${seg(tenant)}/definitions/${kind}`)).definitions ?? [];
}

/** getDraft reads the working copy and its problems (404 when there is none). */
export const getDraft = (api: ApiClient, tenant: string, kind: DefinitionKind, key: string) => api.get<DefinitionDraft>(defPath(tenant, kind, key));

/** saveDraft stores body as the draft, valid or not; the server checks it and the answer lists its problems. */
export const saveDraft = (api: ApiClient, tenant: string, kind: DefinitionKind, key: string, body: JsonObject) =>
  api.request<DefinitionDraft>('PUT', defPath(tenant, kind, key), body);

/** publish publishes the saved draft as the next version (422 invalid_definition with every problem; 409 unchanged). */
export const publish = (api: ApiClient, tenant: string, kind: DefinitionKind, key: string, note: string) =>
  api.post<PublishedVersion>(`${defPath(tenant, kind, key)}/publish`, note ? { note } : {});

/** listVersions lists the published versions, oldest first, without their bodies. */
export async function listVersions(api: ApiClient, tenant: string, kind: DefinitionKind, key: string): Promise<PublishedVersion[]> {
  return (await api.get<{ versions: PublishedVersion[] | null }>(`${defPath(tenant, kind, key)}/versions`)).versions ?? [];
}

/** getVersion reads one published version with its body. */
export const getVersion = (api: ApiClient, tenant: string, kind: DefinitionKind, key: string, version: number) =>
  api.get<PublishedVersion>(`${defPath(tenant, kind, key)}/versions/${version}`);

/** rollback publishes version to's body again, as a new version. */
export const rollback = (api: ApiClient, tenant: string, kind: DefinitionKind, key: string, to: number, note: string) =>
  api.post<PublishedVersion>(`${defPath(tenant, kind, key)}/rollback`, note ? { to, note } : { to });
