import type { ApiClient } from './client';
import type { DefinitionDraft, DefinitionSummary, PublishedVersion } from './designerEndpoints';
import { seg } from './endpoints';
import type { Localized } from './types';
import type { JsonObject } from '../designer/types';

// The definition routes the flow designer and the rule editor use
// (server/handlers_definitions.go) for the flow and rule kinds, and the rule dry run
// (server/handlers_rules.go).

/** AutomationKind is a definition kind these editors handle; a rule set is saved under its form's key. */
export type AutomationKind = 'flow' | 'rule';

const defPath = (tenant: string, kind: AutomationKind, key: string) => `/t/${seg(tenant)}/definitions/${kind}/${seg(key)}`;

export async function listDefinitions(api: ApiClient, tenant: string, kind: AutomationKind): Promise<DefinitionSummary[]> {
  return (await api.get<{ definitions: DefinitionSummary[] | null }>(`/t/${seg(tenant)}/definitions/${kind}`)).definitions ?? [];
}

export const getDraft = (api: ApiClient, tenant: string, kind: AutomationKind, key: string) => api.get<DefinitionDraft>(defPath(tenant, kind, key));

/** saveDraft stores body as the draft, valid or not; the server compiles it (CEL included) and the answer lists its problems. */
export const saveDraft = (api: ApiClient, tenant: string, kind: AutomationKind, key: string, body: JsonObject) =>
  api.request<DefinitionDraft>('PUT', defPath(tenant, kind, key), body);

/** publish publishes the saved draft as the next version (422 invalid_definition with every problem; 409 unchanged). */
export const publish = (api: ApiClient, tenant: string, kind: AutomationKind, key: string, note: string) =>
  api.post<PublishedVersion>(`${defPath(tenant, kind, key)}/publish`, note ? { note } : {});

export async function listVersions(api: ApiClient, tenant: string, kind: AutomationKind, key: string): Promise<PublishedVersion[]> {
  return (await api.get<{ versions: PublishedVersion[] | null }>(`${defPath(tenant, kind, key)}/versions`)).versions ?? [];
}

export const getVersion = (api: ApiClient, tenant: string, kind: AutomationKind, key: string, version: number) =>
  api.get<PublishedVersion>(`${defPath(tenant, kind, key)}/versions/${version}`);

/** rollback publishes version to's body again, as a new version. */
export const rollback = (api: ApiClient, tenant: string, kind: AutomationKind, key: string, to: number, note: string) =>
  api.post<PublishedVersion>(`${defPath(tenant, kind, key)}/rollback`, note ? { to, note } : { to });

/** DryRunOutcome is how a condition came out: held, did not hold, or failed to evaluate. */
export type DryRunOutcome = 'true' | 'false' | 'error';

/** DryRunAction is one action as the rule would take it on the record (runtime/rule Action). */
export interface DryRunAction {
  type: string;
  field?: string;
  value?: unknown;
  reason?: Localized;
  flag?: string;
  role?: string;
  user?: string;
  title?: Localized;
  /** due_in is in nanoseconds. */
  due_in?: number;
  flow?: string;
  kind?: string;
  channel?: string;
  to?: string;
  template?: string;
  list?: string;
}

/** DryRunResult is how one rule reads one record (runtime/rule DryRunResult). */
export interface DryRunResult {
  rule: string;
  enabled: boolean;
  condition?: string;
  outcome: DryRunOutcome;
  error?: string;
  leaves?: Array<{ path: string; field: string; op: string; cel: string; outcome: DryRunOutcome; error?: string }>;
  fires: boolean;
  actions?: DryRunAction[];
  action_error?: string;
}

/**
 * dryRunRule evaluates one rule against one stored record and changes nothing; with
 * definition, the rule set given (the editor's unsaved work) is compiled and tried
 * instead of the published one (422 invalid_definition with its problems).
 */
export const dryRunRule = (api: ApiClient, tenant: string, form: string, req: { rule: string; record_id: string; definition?: JsonObject }) =>
  api.post<DryRunResult>(`/t/${seg(tenant)}/forms/${seg(form)}/rules/dry-run`, req);
