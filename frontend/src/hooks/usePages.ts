import { useCallback, useEffect, useRef, useState } from 'react';

/** Page is one page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  /** next is the cursor of the following page; absent on the last. */
  next?: string | undefined;
}

/** Pages is a growing list read page by page with the server's cursor. */
export interface Pages<T> {
  items: T[];
  /** more is true while the server has said there is a next page. */
  more: boolean;
  loading: boolean;
  error: unknown;
  loadMore(): void;
  /** reload reads the first page again, replacing the list. */
  reload(): void;
}

/**
 * usePages reads the first page when the component mounts and whenever deps change,
 * appends the next one on each loadMore, following the cursor the server returned, and
 * drops answers for a list it no longer shows.
 *
 * @example
 * const tasks = usePages((cursor) => listTasks(api, tenant, { scope, cursor }).then((p) => ({ items: p.tasks, next: p.next })), [api, tenant, scope]);
 */
export function usePages<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: readonly unknown[]): Pages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  // generation changes with the list being read, so a late answer for another list is dropped.
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback(async (after: string | undefined) => {
    const mine = generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await loadRef.current(after);
      if (generation.current !== mine) return;
      setItems((xs) => (after ? [...xs, ...page.items] : page.items));
      setCursor(page.next || undefined);
    } catch (err) {
      if (generation.current === mine) setError(err);
    } finally {
      if (generation.current === mine) setLoading(false);
    }
  }, []);

  useEffect(() => {
    generation.current++;
    setItems([]);
    setCursor(undefined);
    void fetchPage(undefined);
    return () => {
      generation.current++;
    };
    // The caller names the inputs of load in deps; load itself is a new closure each render.
  }, [...deps, round, fetchPage]);

  const loadMore = useCallback(() => {
    if (cursor && !loading) void fetchPage(cursor);
  }, [cursor, loading, fetchPage]);

  const reload = useCallback(() => setRound((r) => r + 1), []);

  return { items, more: cursor !== undefined, loading, error, loadMore, reload };
}
