import { newAction, ACTION_TYPES } from './newAction';
import { newRule } from './newRule';

describe('newRule and newAction', () => {
  it('makes a rule under a free key', () => {
    expect(newRule(['rule'], { en: 'New rule' })).toEqual({
      key: 'rule_2',
      title: { en: 'New rule' },
      trigger: { on: 'record.created' },
      condition: { all: [] },
      actions: [{ type: 'flag', flag: 'rule_2' }],
    });
  });

  it('gives every action type its members', () => {
    for (const type of ACTION_TYPES) expect(newAction(type)['type']).toBe(type);
    expect(newAction('create_task')).toEqual({ type: 'create_task', role: '', title: {} });
  });
});
