import type { JsonObject } from '../designer/types';
import { celToCondition } from './celToCondition';
import { conditionToCel } from './conditionToCel';
import { fromRuleSet } from './fromRuleSet';
import { ruleFields } from './ruleFields';
import { toRuleSet } from './toRuleSet';

// Every rule set of the lending starter app, with the form it belongs to.
const templates = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/rules/*.json', { eager: true, import: 'default' });
const forms = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/*.json', { eager: true, import: 'default' });
const sets = Object.entries(templates).map(([path, body]) => [path.split('/').pop() ?? path, body] as const);
const formOf = (key: string) => Object.values(forms).find((f) => f['key'] === key)!;

describe('round trip of the lending rule templates through the rule editor model', () => {
  it('finds the templates', () => {
    expect(sets.map(([name]) => name).sort()).toEqual(expect.arrayContaining(['collection_case.json', 'loan_application.json']));
  });

  it.each(sets)('%s reads and writes back the same JSON', (_name, body) => {
    const copy = structuredClone(body);
    const design = fromRuleSet(copy);
    expect(design.rules.map((r) => r.raw['key'])).toEqual((body['rules'] as JsonObject[]).map((r) => r['key']));
    expect(JSON.stringify(toRuleSet(design))).toBe(JSON.stringify(body));
    expect(copy).toEqual(body);
  });

  it.each(sets)('%s: each visual condition turns into text and back into the same tree', (_name, body) => {
    const fields = ruleFields(formOf(body['form'] as string));
    for (const rule of body['rules'] as JsonObject[]) {
      const cond = rule['condition'];
      if (typeof cond === 'object' && cond !== null) {
        const text = conditionToCel(cond as never, fields);
        expect(celToCondition(text, fields)).toEqual(cond);
      } else if (typeof cond === 'string') {
        // Hand-written expressions are not trees: they stay text.
        expect(celToCondition(cond, fields)).toBeNull();
      }
    }
  });
});
