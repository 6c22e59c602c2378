import type { FieldProblem } from '../api/apiError';
import type { ByMember } from './locateFlowProblems';

/**
 * problemsUnder collects the problems of a member and of everything inside it, for the
 * input that edits it: "name" gathers "name" and "name/en".
 *
 * @example
 * problemsUnder({ 'sla/after': [a], sla: [b], mode: [c] }, 'sla') // [b, a]
 */
export function problemsUnder(map: ByMember | undefined, member: string): FieldProblem[] {
  if (!map) return [];
  return [...(map[member] ?? []), ...Object.entries(map).flatMap(([k, ps]) => (k.startsWith(`${member}/`) ? ps : []))];
}
