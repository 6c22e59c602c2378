import { useTranslation } from 'react-i18next';
import { problemsAt } from '../core/api/problemsAt';

// The problem codes of the tenants API (tenants/errors.go) that have words in the catalogue.
const MESSAGES: Record<string, `fieldErrors.${'required' | 'invalid_email' | 'password_too_short' | 'password_too_long' | 'invalid_slug' | 'reserved' | 'too_long'}`> = {
  required: 'fieldErrors.required',
  invalid_email: 'fieldErrors.invalid_email',
  password_too_short: 'fieldErrors.password_too_short',
  password_too_long: 'fieldErrors.password_too_long',
  invalid_slug: 'fieldErrors.invalid_slug',
  reserved: 'fieldErrors.reserved',
  too_long: 'fieldErrors.too_long',
};

/**
 * FieldProblems lists under a field what the server found wrong at its JSON pointer.
 *
 * @example
 * <FieldProblems id="slug-problems" error={error} path="/slug" />
 */
export function FieldProblems({ id, error, path }: { id: string; error: unknown; path: string }) {
  const { t } = useTranslation();
  const problems = problemsAt(error, path);
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="field-problems">
      {problems.map((p) => {
        const key = MESSAGES[p.code];
        return <li key={p.code + p.message}>{key ? t(key) : t('fieldErrors.other', { message: p.message })}</li>;
      })}
    </ul>
  );
}
