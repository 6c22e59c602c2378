import type { FieldProblem } from './apiError';
import type { ApiClient } from './client';
import { seg } from './endpoints';
import type { JsonObject } from '../designer/types';
import type { Localized } from './types';

// The definition routes the form designer uses (server/handlers_definitions.go), for
// the form kind.

/** DefinitionDraft is GET/PUT …/definitions/form/{key}: the working copy and its problems. */
export interface DefinitionDraft {
  kind: string;
  key: string;
  body: JsonObject;
  hash: string;
  /** problems lists what stops the draft from publishing; empty when it would publish. */
  problems: FieldProblem[] | null;
  valid: boolean;
  saved_at: string;
  saved_by: string;
  /** base_version is the published version current when the draft was saved (0: none). */
  base_version: number;
}

/** PublishedVersion is one published version (without body in lists). */
export interface PublishedVersion {
  kind: string;
  key: string;
  version: number;
  note: string;
  author: string;
  published_at: string;
  hash: string;
  /** rollback_of is the version whose body this one republished. */
  rollback_of?: number;
  body?: JsonObject;
}

/** DefinitionSummary is one definition of GET …/definitions/{kind}. */
export interface DefinitionSummary {
  kind: string;
  key: string;
  /** title names it per locale (a form's title, a flow's or dashboard's name, a rule set's form's title), from its draft or latest version. */
  title?: Localized;
  /** form is the form a flow or rule set runs on. */
  form?: string;
  /** status: only drafted, published, or published with a draft that differs. */
  status: 'draft' | 'published' | 'draft_ahead';
  /** updated_at is when it last changed: a draft saved or a version published. */
  updated_at: string;
  /** latest is the current published version (0: never published). */
  latest: number;
  published_at?: string;
  published_by?: string;
  draft: 'none' | 'unchanged' | 'changed';
  draft_valid: boolean;
  draft_saved_at?: string;
}

const formPath = (tenant: string, key: string) => `/t/${seg(tenant)}/definitions/form/${seg(key)}`;

export async function listFormDefinitions(api: ApiClient, tenant: string): Promise<DefinitionSummary[]> {
  return (await api.get<{ definitions: DefinitionSummary[] | null }>(`/t/${seg(tenant)}/definitions/form`)).definitions ?? [];
}

/** saveFormDraft stores body as the draft, valid or not; the answer lists its problems. */
export const saveFormDraft = (api: ApiClient, tenant: string, key: string, body: JsonObject) =>
  api.request<DefinitionDraft>('PUT', formPath(tenant, key), body);
