import type { Task, TaskActionKind } from '../api/types';

/**
 * taskActions lists what the person may try on a task, in the order the panel offers
 * them: claim while nobody holds it; the node's decisions (approve and reject at an
 * approval, complete at a task), and return, unless someone else claimed it; handing
 * it on and commenting while it is open. A closed task offers nothing. The server
 * still decides (candidates, supervisors); this only keeps pointless buttons away.
 *
 * @example
 * taskActions(task, me.id) // ["claim", "approve", "reject", "return", "reassign", "delegate", "comment"]
 */
export function taskActions(task: Pick<Task, 'status' | 'kind' | 'assignee' | 'flow'>, me: string): TaskActionKind[] {
  if (task.status !== 'open') return [];
  const out: TaskActionKind[] = [];
  if (!task.assignee) out.push('claim');
  if (!task.assignee || task.assignee === me) {
    out.push(...(task.kind === 'approval' ? (['approve', 'reject'] as const) : (['complete'] as const)));
    // A task a rule opened outside any flow has no earlier node to go back to.
    if (task.flow) out.push('return');
  }
  out.push('reassign', 'delegate', 'comment');
  return out;
}
