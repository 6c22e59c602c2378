import { ApiError, type FieldProblem } from '../api/apiError';

const RULE_PATH = /^\/permissions\/(\d+)(?:\/|$)/;

/**
 * gridProblems places the problems of a refused PUT …/permissions on the grid cells
 * that wrote the rules they name (origins from applyGridEdits), and the rest, such as
 * the admin role's "read only" or a rule kept from before, under the key "".
 *
 * @example
 * gridProblems(err, [null, 'field:phone']) // { 'field:phone': [{ path: '/permissions/1/action', … }] }
 */
export function gridProblems(err: unknown, origins: ReadonlyArray<string | null>): Record<string, FieldProblem[]> {
  const out: Record<string, FieldProblem[]> = {};
  if (!(err instanceof ApiError)) return out;
  for (const p of err.fields) {
    const m = RULE_PATH.exec(p.path);
    const key = (m ? origins[Number(m[1])] : null) ?? '';
    (out[key] ??= []).push(p);
  }
  return out;
}
