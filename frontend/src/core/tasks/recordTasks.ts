import { ApiError } from '../api/apiError';
import type { ApiClient } from '../api/client';
import { listTasks } from '../api/taskEndpoints';
import type { Task } from '../api/types';

/** RECORD_TASK_LIMIT bounds the tasks read for one record: a loan passes a handful of steps. */
const RECORD_TASK_LIMIT = 100;

/**
 * recordTasks lists the tasks of one record, open and closed, that the person may see:
 * every one when they may see all tasks, otherwise those of their own inbox.
 */
export async function recordTasks(api: ApiClient, tenant: string, record: string): Promise<Task[]> {
  const q = { record, status: 'any' as const, limit: RECORD_TASK_LIMIT };
  try {
    return (await listTasks(api, tenant, { ...q, scope: 'all' })).tasks;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'forbidden') throw err;
    return (await listTasks(api, tenant, { ...q, scope: 'mine' })).tasks;
  }
}
