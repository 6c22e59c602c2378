import type { JsonObject } from '../designer/types';
import { takeItems } from '../flows/takeItems';
import type { RuleSetDesign } from './types';

/**
 * fromRuleSet reads a rule set into the editor's model: its rules as items, the rest as
 * it came. The body given is not changed.
 *
 * @example
 * fromRuleSet(body).rules.map((r) => r.raw['key']) // ["score_floor", …]
 */
export function fromRuleSet(body: JsonObject): RuleSetDesign {
  const rules = takeItems(body['rules']);
  return { rest: body, rules: rules ?? [], owns: rules !== null };
}
