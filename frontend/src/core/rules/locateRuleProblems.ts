import type { FieldProblem } from '../api/apiError';
import { decodePointer } from '../flows/decodePointer';
import type { ByMember } from '../flows/locateFlowProblems';
import type { RuleSetDesign } from './types';

/** RuleProblems places the server's problems of a rule set on what the editor shows. */
export interface RuleProblems {
  /** set holds the set's own (form) and what is placed nowhere else (""). */
  set: ByMember;
  /** rules holds each rule's problems by its handle, by member path ("trigger/cron", "condition/all/0/value"). */
  rules: Record<string, ByMember>;
  count: number;
}

/**
 * locateRuleProblems places each problem the server located by JSON pointer in the rule
 * set written from design on the rule member it is about: "/rules/2/condition/all/0/value"
 * is the value of the first comparison of the third rule's condition.
 *
 * @example
 * locateRuleProblems([{ path: '/rules/0/trigger/cron', code: 'cron', message: '…' }], design).rules[h]['trigger/cron']
 */
export function locateRuleProblems(problems: readonly FieldProblem[], design: RuleSetDesign): RuleProblems {
  const map: RuleProblems = { set: {}, rules: {}, count: problems.length };
  for (const p of problems) {
    const [head, index, ...member] = decodePointer(p.path);
    const rule = head === 'rules' && index !== undefined && /^\d+$/.test(index) ? design.rules[Number(index)] : undefined;
    if (!rule) {
      (map.set[head === 'form' ? 'form' : ''] ??= []).push(p);
      continue;
    }
    ((map.rules[rule.handle] ??= {})[member.join('/')] ??= []).push(p);
  }
  return map;
}
