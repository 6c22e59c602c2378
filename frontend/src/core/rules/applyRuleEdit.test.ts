import loanRules from '../../../../schemas/templates/lending/rules/loan_application.json';
import type { JsonObject } from '../designer/types';
import { applyRuleEdit } from './applyRuleEdit';
import { fromRuleSet } from './fromRuleSet';
import { toRuleSet } from './toRuleSet';

describe('applyRuleEdit', () => {
  it('adds, edits, moves and removes rules', () => {
    const base = fromRuleSet(structuredClone(loanRules) as JsonObject);
    let d = applyRuleEdit(base, { kind: 'addRule', handle: 'r', rule: { key: 'big', title: { en: 'Big' }, trigger: { on: 'record.created' }, actions: [] } });
    d = applyRuleEdit(d, { kind: 'setRule', handle: 'r', path: ['condition'], value: { all: [{ field: 'amount', op: 'gt', value: 100000 }] } });
    d = applyRuleEdit(d, { kind: 'moveRule', handle: 'r', by: -1 });
    const keys = (x: typeof d) => x.rules.map((r) => r.raw['key']);
    expect(keys(d).slice(-2)).toEqual(['big', 'start_approval_after_decision']);
    expect(applyRuleEdit(d, { kind: 'moveRule', handle: base.rules[0]!.handle, by: -1 })).toBe(d);
    expect(d.rules.at(-2)!.raw['condition']).toEqual({ all: [{ field: 'amount', op: 'gt', value: 100000 }] });
    expect(toRuleSet(applyRuleEdit(d, { kind: 'removeRule', handle: 'r' }))).toEqual(loanRules);
  });
});
