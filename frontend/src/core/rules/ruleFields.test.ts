import loanApplication from '../../../../schemas/templates/lending/loan_application.json';
import type { JsonObject } from '../designer/types';
import { ruleFields } from './ruleFields';

describe('ruleFields', () => {
  const fields = ruleFields(loanApplication as JsonObject);
  const at = (path: string) => fields.find((f) => f.path === path);

  it('lists the fields with the server’s kinds, labels and options', () => {
    expect(fields[0]?.path).toBe('applicant_name');
    expect(at('amount')).toMatchObject({ kind: 'number', label: { 'zh-CN': '申请金额（元）', en: 'Amount (CNY)' } });
    expect(at('term_months')?.kind).toBe('integer');
    expect(at('channel')?.options?.[1]).toEqual({ value: 'online', label: { 'zh-CN': '线上', en: 'Online' } });
    expect(at('flags')).toMatchObject({ kind: 'array', items: 'string' });
  });

  it('reaches into object fields by dotted path', () => {
    expect(at('credit_score')?.kind).toBe('object');
    expect(at('credit_score.score')).toMatchObject({ kind: 'integer', parent: { en: 'Credit score' } });
    expect(at('credit_score.grade')?.options?.map((o) => o.value)).toEqual(['S', 'A', 'B', 'C', 'D']);
    expect(at('fraud_check.hits')).toMatchObject({ kind: 'array', items: 'object' });
  });

  it('follows local refs and nullable types', () => {
    const form = {
      schema: {
        $defs: { money: { type: ['number', 'null'] } },
        properties: { a: { $ref: '#/$defs/money' }, b: { type: ['string', 'integer'] }, c: {} },
      },
    } as JsonObject;
    expect(ruleFields(form).map((f) => f.kind)).toEqual(['number', 'any', 'any']);
  });
});
