import type { ApiClient } from '../api/client';
import { seg } from '../api/endpoints';
import type { FormRecord, RecordPage } from '../api/types';

// The record routes the entry page and the record list use (server/handlers_records.go).

const recordsPath = (tenant: string, form: string) => `/t/${seg(tenant)}/forms/${seg(form)}/records`;

/** createRecord stores a new record (201 with the record; 422 validation_failed with the fields at fault). */
export const createRecord = (api: ApiClient, tenant: string, form: string, data: Record<string, unknown>) =>
  api.post<FormRecord>(recordsPath(tenant, form), data);

/**
 * updateRecord changes the given fields of the record read at version (null removes a
 * field); 409 version_conflict when someone saved it meanwhile.
 */
export const updateRecord = (api: ApiClient, tenant: string, form: string, id: string, version: number, data: Record<string, unknown>) =>
  api.patch<FormRecord>(`${recordsPath(tenant, form)}/${seg(id)}`, { version, data });

/** ListQuery is one page request of a filtered, sorted record list. */
export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  /** filter is the filter tree (server/handlers_records.go parseFilter), sent as JSON. */
  filter?: unknown;
  /** sort is "-amount" or "applicant_name" (minus: descending). */
  sort: string;
}

/** listRecordPage reads one page of a form's records the caller may see. */
export async function listRecordPage(api: ApiClient, tenant: string, form: string, q: ListQuery): Promise<RecordPage> {
  const page = await api.get<RecordPage>(recordsPath(tenant, form), {
    limit: q.limit,
    cursor: q.cursor,
    sort: q.sort,
    filter: q.filter === undefined ? undefined : JSON.stringify(q.filter),
  });
  return { ...page, records: page.records ?? [] };
}
