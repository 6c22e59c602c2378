import { ApiError, type FieldProblem } from './apiError';

/**
 * problemsAt returns the problems an error locates at a JSON pointer (e.g. "/slug"),
 * so a form can place each under its field.
 */
export function problemsAt(err: unknown, path: string): FieldProblem[] {
  if (!(err instanceof ApiError)) return [];
  return err.fields.filter((f) => f.path === path);
}
