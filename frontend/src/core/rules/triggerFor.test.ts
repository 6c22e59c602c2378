import { triggerFor } from './triggerFor';

describe('triggerFor', () => {
  it('keeps what the new event takes and drops the rest', () => {
    expect(triggerFor({ on: 'record.created' }, 'schedule')).toEqual({ on: 'schedule', cron: '' });
    expect(triggerFor({ on: 'schedule', cron: '0 9 * * *', timezone: 'Asia/Shanghai' }, 'field.changed')).toEqual({ on: 'field.changed', fields: [] });
    expect(triggerFor({ on: 'flow.node_entered', flow: 'loan_approval', node: 'contract' }, 'flow.node_left')).toEqual({ on: 'flow.node_left', flow: 'loan_approval', node: 'contract' });
    expect(triggerFor(undefined, 'record.updated')).toEqual({ on: 'record.updated' });
  });
});
