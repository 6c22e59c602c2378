import loanApplication from '../../../../schemas/templates/lending/loan_application.json';
import type { JsonObject } from '../designer/types';
import { conditionToCel } from './conditionToCel';
import { ruleFields } from './ruleFields';

const fields = ruleFields(loanApplication as JsonObject);

describe('conditionToCel', () => {
  it('writes what the server compiles a tree to', () => {
    // The very text runtime/rule/visual_test.go expects of this tree.
    const tree = {
      all: [
        { field: 'amount', op: 'gte' as const, value: 10000 },
        { any: [{ field: 'channel', op: 'eq' as const, value: 'partner' }, { field: 'credit_score.grade', op: 'in' as const, value: ['C', 'D'] }] },
      ],
    };
    expect(conditionToCel(tree, fields)).toBe(
      '(has(record.amount) && record.amount >= 10000.0) && ((has(record.channel) && record.channel == "partner") || (has(record.credit_score.grade) && record.credit_score.grade in ["C", "D"]))',
    );
  });

  it('writes each operator as the server does', () => {
    const one = (field: string, op: never, value?: unknown) => conditionToCel({ all: [value === undefined ? { field, op } : { field, op, value: value as never }] }, fields);
    expect(one('credit_score.score', 'lt' as never, 400)).toBe('(has(record.credit_score.score) && record.credit_score.score < 400)');
    expect(one('amount', 'lte' as never, 49999.99)).toBe('(has(record.amount) && record.amount <= 49999.99)');
    expect(one('channel', 'ne' as never, 'branch')).toBe('(!(has(record.channel) && record.channel == "branch"))');
    expect(one('term_months', 'in' as never, [6, 12])).toBe('(has(record.term_months) && record.term_months in [6, 12])');
    expect(one('residential_address', 'contains' as never, '朝阳区')).toBe('(has(record.residential_address) && record.residential_address.contains("朝阳区"))');
    expect(one('flags', 'contains' as never, 'vip')).toBe('(has(record.flags) && "vip" in record.flags)');
    expect(one('email', 'is_set' as never)).toBe('((has(record.email) && size(record.email) > 0))');
    expect(one('credit_score.score', 'is_set' as never)).toBe('(has(record.credit_score.score))');
    expect(one('flags', 'not_set' as never)).toBe('(!(has(record.flags) && size(record.flags) > 0))');
    expect(one('consent_privacy', 'eq' as never, true)).toBe('(has(record.consent_privacy) && record.consent_privacy == true)');
  });
});
