import loanApplication from '../../../../schemas/templates/lending/loan_application.json';
import type { JsonObject } from '../designer/types';
import { celToCondition } from './celToCondition';
import { conditionToCel } from './conditionToCel';
import { ruleFields } from './ruleFields';
import type { Group } from './types';

const fields = ruleFields(loanApplication as JsonObject);

describe('celToCondition', () => {
  it.each<[string, Group]>([
    ['one comparison', { all: [{ field: 'amount', op: 'gt', value: 100000 }] }],
    ['nested groups', { all: [{ field: 'amount', op: 'gte', value: 10000 }, { any: [{ field: 'channel', op: 'eq', value: 'partner' }, { field: 'credit_score.grade', op: 'in', value: ['C', 'D'] }] }] }],
    ['any at the top', { any: [{ field: 'email', op: 'is_set' }, { field: 'flags', op: 'not_set' }, { field: 'channel', op: 'ne', value: 'online' }] }],
    ['contains and sets', { all: [{ field: 'residential_address', op: 'contains', value: '朝阳"区' }, { field: 'flags', op: 'contains', value: 'vip' }, { field: 'credit_score.score', op: 'is_set' }, { field: 'dpd', op: 'not_set' }] }],
    ['a group of one group', { all: [{ all: [{ field: 'amount', op: 'lt', value: 5 }, { field: 'amount', op: 'gt', value: 1 }] }] }],
  ])('reads back the text of %s as the same tree', (_name, tree) => {
    expect(celToCondition(conditionToCel(tree, fields), fields)).toEqual(tree);
  });

  it('reads guarded comparisons written by hand, without the parentheses', () => {
    expect(celToCondition('has(record.amount) && record.amount > 100000 && has(record.channel) && record.channel == "online"', fields)).toEqual({
      all: [
        { field: 'amount', op: 'gt', value: 100000 },
        { field: 'channel', op: 'eq', value: 'online' },
      ],
    });
  });

  it('reads && inside || without parentheses as the comparisons of an any group', () => {
    expect(celToCondition('has(record.amount) && record.amount >= 5000 || has(record.channel) && record.channel == "online"', fields)).toEqual({
      any: [
        { field: 'amount', op: 'gte', value: 5000 },
        { field: 'channel', op: 'eq', value: 'online' },
      ],
    });
  });

  it('leaves as text what a tree would read differently, or cannot say', () => {
    expect(celToCondition('record.amount > 100000.0', fields)).toBeNull();
    expect(celToCondition('has(record.email)', fields)).toBeNull();
    expect(celToCondition('has(record.amount) && record.channel == "x"', fields)).toEqual(null);
    expect(celToCondition('record.fraud_check.hits.exists(h, h.rule == "contact.overdue")', fields)).toBeNull();
    expect(celToCondition('has(record.amount) && record.amount > record.monthly_income', fields)).toBeNull();
    expect(celToCondition('record.amount >', fields)).toBeNull();
  });
});
