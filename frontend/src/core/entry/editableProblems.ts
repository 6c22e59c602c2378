import type { FieldProblem } from '../api/apiError';

/**
 * editableProblems keeps the problems the person can fix here: those under a field they
 * may edit, except under the sub-table cells they cannot change (fixed, from
 * fixedCells). A masked or read-only value the check trips over (a mask is not a valid
 * phone number) is the server's business, not theirs.
 *
 * @example
 * editableProblems(problems, new Set(['email'])) // only "/email…" problems
 */
export function editableProblems(problems: readonly FieldProblem[], editable: ReadonlySet<string>, fixed: ReadonlySet<string> = new Set()): FieldProblem[] {
  return problems.filter((p) => {
    const first = p.path.split('/')[1];
    if (first === undefined || !editable.has(first.replace(/~1/g, '/').replace(/~0/g, '~'))) return false;
    for (const cell of fixed) if (p.path === cell || p.path.startsWith(`${cell}/`)) return false;
    return true;
  });
}
