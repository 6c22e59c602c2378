import type { ApiClient } from './client';
import type { DefinitionKind } from './definitionEndpoints';
import { seg } from './endpoints';
import type { Localized } from './types';
import type { JsonObject } from '../designer/types';

// The rule dry run (server/handlers_rules.go), and the definition routes the flow
// designer and the rule editor use, which every kind shares (definitionEndpoints).

/** AutomationKind is a definition kind these editors handle; a rule set is saved under its form's key. */
export type AutomationKind = Extract<DefinitionKind, 'flow' | 'rule'>;

export { getDraft, getVersion, listDefinitions, listVersions, publish, rollback, saveDraft } from './definitionEndpoints';

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
