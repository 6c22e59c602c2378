import type { FieldProblem } from '../api/apiError';

/**
 * editableProblems keeps the problems the person can fix here: those under a field they
 * may edit. A masked or read-only value the check trips over (a mask is not a valid
 * phone number) is the server's business, not theirs.
 *
 * @example
 * editableProblems(problems, new Set(['email'])) // only "/email…" problems
 */
export function editableProblems(problems: readonly FieldProblem[], editable: ReadonlySet<string>): FieldProblem[] {
  return problems.filter((p) => {
    const first = p.path.split('/')[1];
    return first !== undefined && editable.has(first.replace(/~1/g, '/').replace(/~0/g, '~'));
  });
}
