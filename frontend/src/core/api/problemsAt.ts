import { ApiError, type FieldProblem } from './apiError';

/**
 * problemsAt returns the problems an error locates at a JSON pointer (e.g. "/slug"), or
 * at any of several pointers that mean the same field (a task action's "/fields/amount"
 * and the record's "/amount"), so a form can place each under its field.
 */
export function problemsAt(err: unknown, path: string | readonly string[]): FieldProblem[] {
  if (!(err instanceof ApiError)) return [];
  const paths = typeof path === 'string' ? [path] : path;
  return err.fields.filter((f) => paths.includes(f.path));
}
