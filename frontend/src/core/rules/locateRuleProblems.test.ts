import loanRules from '../../../../schemas/templates/lending/rules/loan_application.json';
import type { JsonObject } from '../designer/types';
import { fromRuleSet } from './fromRuleSet';
import { locateRuleProblems } from './locateRuleProblems';

const p = (path: string) => ({ path, code: 'x', message: 'x' });

describe('locateRuleProblems', () => {
  it('places problems on the rule member they name', () => {
    const design = fromRuleSet(structuredClone(loanRules) as JsonObject);
    const map = locateRuleProblems([p('/rules/0/condition/all/0/value'), p('/rules/2/actions/1/list'), p('/rules/2'), p('/form'), p('/rules/99/key'), p('')], design);
    expect(Object.keys(map.rules[design.rules[0]!.handle]!)).toEqual(['condition/all/0/value']);
    expect(Object.keys(map.rules[design.rules[2]!.handle]!)).toEqual(['actions/1/list', '']);
    expect(map.set['form']).toHaveLength(1);
    expect(map.set['']).toHaveLength(2);
    expect(map.count).toBe(6);
  });
});
