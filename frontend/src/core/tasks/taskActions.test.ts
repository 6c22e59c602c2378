import type { Task } from '../api/types';
import { taskActions } from './taskActions';

const task = (extra: Partial<Task>): Pick<Task, 'status' | 'kind' | 'assignee' | 'flow'> => ({
  status: 'open', kind: 'approval', flow: 'loan_approval', ...extra,
});

describe('taskActions', () => {
  it('offers claim and the approval decisions on an unclaimed approval', () => {
    expect(taskActions(task({}), 'u1')).toEqual(['claim', 'approve', 'reject', 'return', 'reassign', 'delegate', 'comment']);
  });

  it('offers complete, not approve, at a task node I hold', () => {
    expect(taskActions(task({ kind: 'task', assignee: 'u1' }), 'u1')).toEqual(['complete', 'return', 'reassign', 'delegate', 'comment']);
  });

  it('offers no decision on a task someone else claimed', () => {
    expect(taskActions(task({ assignee: 'u2' }), 'u1')).toEqual(['reassign', 'delegate', 'comment']);
  });

  it('offers no return on a task opened outside any flow', () => {
    expect(taskActions(task({ flow: '' }), 'u1')).not.toContain('return');
  });

  it('offers nothing on a closed task', () => {
    expect(taskActions(task({ status: 'completed' }), 'u1')).toEqual([]);
  });
});
