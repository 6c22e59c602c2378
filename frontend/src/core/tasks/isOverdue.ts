import type { Task } from '../api/types';

/**
 * isOverdue tells whether a task is still open past its due time at now (the same rule
 * as the server's overdue count; a closed task is never overdue).
 *
 * @example
 * isOverdue(task, new Date())
 */
export function isOverdue(task: Pick<Task, 'status' | 'due_at'>, now: Date): boolean {
  if (task.status !== 'open' || !task.due_at) return false;
  const due = new Date(task.due_at).getTime();
  return !Number.isNaN(due) && now.getTime() > due;
}
