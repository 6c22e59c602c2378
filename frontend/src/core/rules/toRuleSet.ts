import type { JsonObject } from '../designer/types';
import type { RuleSetDesign } from './types';

/**
 * toRuleSet writes the editor's model back as a rule set, members in the order read.
 *
 * @example
 * toRuleSet(fromRuleSet(body)) // equal to body, key order included
 */
export function toRuleSet(design: RuleSetDesign): JsonObject {
  const rules = design.owns || design.rules.length > 0 ? design.rules.map((r) => r.raw) : undefined;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(design.rest)) out[key] = key === 'rules' && rules !== undefined ? rules : value;
  if (rules !== undefined && !('rules' in out)) out['rules'] = rules;
  return out;
}
