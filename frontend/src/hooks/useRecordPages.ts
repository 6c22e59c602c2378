import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../core/api/client';
import { listRecords } from '../core/api/endpoints';
import type { FormRecord } from '../core/api/types';

/** RecordPages is a growing list of records read page by page with the server's cursor. */
export interface RecordPages {
  records: FormRecord[];
  /** more is true while the server has said there is a next page. */
  more: boolean;
  loading: boolean;
  error: unknown;
  loadMore(): void;
}

/**
 * useRecordPages reads the first page of a form's records and appends the next one on
 * each loadMore, following the cursor the server returned.
 *
 * @example
 * const pages = useRecordPages(api, 'demo', 'loan_application', 20);
 */
export function useRecordPages(api: ApiClient, tenant: string, form: string, pageSize: number): RecordPages {
  const [records, setRecords] = useState<FormRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  // generation changes with the list being read, so a late answer for another form is dropped.
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (after: string | undefined) => {
      const mine = generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await listRecords(api, tenant, form, { limit: pageSize, cursor: after });
        if (generation.current !== mine) return;
        setRecords((rs) => (after ? [...rs, ...page.records] : page.records));
        setCursor(page.next);
      } catch (err) {
        if (generation.current === mine) setError(err);
      } finally {
        if (generation.current === mine) setLoading(false);
      }
    },
    [api, tenant, form, pageSize],
  );

  useEffect(() => {
    generation.current++;
    setRecords([]);
    setCursor(undefined);
    void fetchPage(undefined);
    return () => {
      generation.current++;
    };
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (cursor && !loading) void fetchPage(cursor);
  }, [cursor, loading, fetchPage]);

  return { records, more: cursor !== undefined, loading, error, loadMore };
}
