import type { ApiClient } from './client';
import { seg } from './endpoints';
import type { Task, TaskAction, TaskCounts, TaskPage, TaskScope, TaskStatusFilter } from './types';

// The task inbox routes (server/handlers_tasks.go).

/** TaskQuery selects a page of the inbox. */
export interface TaskQuery {
  scope: TaskScope;
  status?: TaskStatusFilter | undefined;
  overdue?: boolean | undefined;
  record?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export const listTasks = (api: ApiClient, tenant: string, q: TaskQuery) =>
  api.get<TaskPage>(`/t/${seg(tenant)}/tasks`, {
    scope: q.scope,
    status: q.status,
    overdue: q.overdue ? 'true' : undefined,
    record: q.record,
    limit: q.limit,
    cursor: q.cursor,
  });

export const taskCounts = (api: ApiClient, tenant: string) => api.get<TaskCounts>(`/t/${seg(tenant)}/tasks/counts`);

export const getTask = (api: ApiClient, tenant: string, id: string) => api.get<Task>(`/t/${seg(tenant)}/tasks/${seg(id)}`);

/** actOnTask claims, decides, returns, hands on or comments a task; the answer is the task after it. */
export const actOnTask = (api: ApiClient, tenant: string, id: string, action: TaskAction) =>
  api.post<Task>(`/t/${seg(tenant)}/tasks/${seg(id)}/actions`, action);
