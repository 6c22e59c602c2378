import type { ApiClient } from '../core/api/client';
import { listRecords } from '../core/api/endpoints';
import type { FormRecord } from '../core/api/types';
import { usePages, type Pages } from './usePages';

/**
 * useRecordPages reads a form's records, newest first, a page at a time.
 *
 * @example
 * const pages = useRecordPages(api, 'demo', 'loan_application', 20);
 */
export function useRecordPages(api: ApiClient, tenant: string, form: string, pageSize: number): Pages<FormRecord> {
  return usePages(
    async (cursor) => {
      const page = await listRecords(api, tenant, form, { limit: pageSize, cursor });
      return { items: page.records, next: page.next };
    },
    [api, tenant, form, pageSize],
  );
}
