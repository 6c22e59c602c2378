import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../core/api/client';
import type { FormRecord } from '../../core/api/types';
import { listRecordPage } from '../../core/entry/entryEndpoints';
import type { Pages } from '../../hooks/usePages';

/** MAX_LOADED is how many records the list holds at most. */
export const MAX_LOADED = 10_000;
/** BULK_PAGE is the page read while loading everything: the server's largest page. */
const BULK_PAGE = 1000;

/** RecordList is a filtered, sorted record list read page by page, or all at once up to MAX_LOADED. */
export interface RecordList extends Pages<FormRecord> {
  loadAll(): void;
  stop(): void;
  loadingAll: boolean;
  /** capped: the list holds MAX_LOADED records and the server has more. */
  capped: boolean;
}

/**
 * useRecordList reads a form's records under a filter and sort: the first page when the
 * query changes, the next on loadMore, and on loadAll every following page (the
 * server's largest) until the end or MAX_LOADED, appending as they come; an answer
 * for a query no longer shown is dropped. Nothing is read until enabled (the filter
 * can only be typed once the form's fields are known).
 *
 * @example
 * const list = useRecordList(api, 'demo', 'loan_application', { filter, sort: '-amount' }, 20, access.data !== undefined);
 */
export function useRecordList(
  api: ApiClient,
  tenant: string,
  form: string,
  query: { filter: unknown; sort: string },
  pageSize: number,
  enabled = true,
): RecordList {
  const [items, setItems] = useState<FormRecord[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingAll, setLoadingAll] = useState(false);
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  // generation changes with the list read; a bulk load also stops when it changes.
  const generation = useRef(0);
  const count = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  const key = JSON.stringify(query);

  const fetchPage = useCallback(
    async (after: string | undefined, limit: number, mine: number) => {
      const q = queryRef.current;
      const page = await listRecordPage(api, tenant, form, { limit, cursor: after, filter: q.filter, sort: q.sort });
      if (generation.current !== mine) return null;
      count.current = (after ? count.current : 0) + page.records.length;
      setItems((xs) => (after ? [...xs, ...page.records] : page.records));
      setCursor(page.next || undefined);
      return page;
    },
    [api, tenant, form],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setItems([]);
    setCursor(undefined);
    setLoading(true);
    setLoadingAll(false);
    setError(undefined);
    count.current = 0;
    if (!enabled) return;
    fetchPage(undefined, pageSize, mine)
      .catch((err: unknown) => generation.current === mine && setError(err))
      .finally(() => generation.current === mine && setLoading(false));
    return () => {
      generation.current++;
    };
  }, [fetchPage, key, pageSize, round, enabled]);

  const loadMore = useCallback(() => {
    if (!cursor || loading) return;
    const mine = generation.current;
    setLoading(true);
    setError(undefined);
    fetchPage(cursor, pageSize, mine)
      .catch((err: unknown) => generation.current === mine && setError(err))
      .finally(() => generation.current === mine && setLoading(false));
  }, [cursor, loading, fetchPage, pageSize]);

  const loadAll = useCallback(() => {
    if (!cursor || loading) return;
    const mine = generation.current;
    setLoading(true);
    setLoadingAll(true);
    setError(undefined);
    void (async () => {
      let after: string | undefined = cursor;
      try {
        while (after && count.current < MAX_LOADED && generation.current === mine) {
          const page = await fetchPage(after, Math.min(BULK_PAGE, MAX_LOADED - count.current), mine);
          if (!page) return;
          after = page.next || undefined;
        }
      } catch (err) {
        if (generation.current === mine) setError(err);
      } finally {
        if (generation.current === mine) {
          setLoading(false);
          setLoadingAll(false);
        }
      }
    })();
  }, [cursor, loading, fetchPage]);

  // Stopping keeps what arrived: the next page is simply not asked for.
  const stop = useCallback(() => {
    generation.current++;
    setLoading(false);
    setLoadingAll(false);
  }, []);

  const reload = useCallback(() => setRound((r) => r + 1), []);

  return {
    items,
    more: cursor !== undefined && items.length < MAX_LOADED,
    loading,
    error,
    loadMore,
    reload,
    loadAll,
    stop,
    loadingAll,
    capped: cursor !== undefined && items.length >= MAX_LOADED,
  };
}
