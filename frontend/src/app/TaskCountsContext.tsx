import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { taskCounts } from '../core/api/taskEndpoints';
import type { TaskCounts } from '../core/api/types';
import { useApi } from './ApiContext';

/** TaskCountsState is the signed-in person's open and overdue tasks, for the navigation's badge. */
export interface TaskCountsState {
  /** counts is undefined until read, and when the server has no task inbox (flows disabled). */
  counts: TaskCounts | undefined;
  /** refresh reads the counts again, after the person acted on a task. */
  refresh(): void;
}

const TaskCountsContext = createContext<TaskCountsState>({ counts: undefined, refresh: () => undefined });

/** REFRESH_MS is how often the badge follows tasks others create or close. */
const REFRESH_MS = 60_000;

/**
 * TaskCountsProvider reads the tenant user's task counts, on mount, every minute and
 * on request; with tenant empty (the platform administrator) it reads nothing.
 *
 * @example
 * <TaskCountsProvider tenant={user.tenant}>…</TaskCountsProvider>
 */
export function TaskCountsProvider({ tenant, children }: { tenant: string; children: ReactNode }) {
  const api = useApi();
  const [counts, setCounts] = useState<TaskCounts>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!tenant) return;
    let live = true;
    // A failure (flows disabled, a blip) hides the badge rather than bothering the person.
    taskCounts(api, tenant).then(
      (c) => live && setCounts(c),
      () => live && setCounts(undefined),
    );
    const timer = window.setTimeout(() => setRound((r) => r + 1), REFRESH_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, tenant, round]);

  const refresh = useCallback(() => setRound((r) => r + 1), []);
  const value = useMemo(() => ({ counts, refresh }), [counts, refresh]);
  return <TaskCountsContext.Provider value={value}>{children}</TaskCountsContext.Provider>;
}

/**
 * useTaskCounts returns the person's task counts and a way to refresh them.
 *
 * @example
 * const { counts, refresh } = useTaskCounts();
 */
export function useTaskCounts(): TaskCountsState {
  return useContext(TaskCountsContext);
}
