/** FIELD_NAME is what a field or column name looks like (schemas/form.schema.json, fieldName). */
export const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** FORM_KEY is what a form's key looks like (one character shorter than a field name). */
export const FORM_KEY = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * nameProblem says what is wrong with a name for a field, a column, a section or a
 * form: "pattern" when it does not look like a name, "taken" when a sibling already
 * has it, null when it will do.
 *
 * @example
 * nameProblem('Mobile', []) // "pattern"
 * nameProblem('mobile', ['mobile']) // "taken"
 */
export function nameProblem(name: string, taken: readonly string[], pattern: RegExp = FIELD_NAME): 'pattern' | 'taken' | null {
  if (!pattern.test(name)) return 'pattern';
  return taken.includes(name) ? 'taken' : null;
}
