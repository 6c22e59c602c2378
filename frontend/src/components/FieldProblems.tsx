import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../core/api/apiError';
import { problemsAt } from '../core/api/problemsAt';
import type { en } from '../i18n/en';

type ProblemKey = Exclude<keyof (typeof en)['fieldErrors'], 'other'>;

// The problem codes of the API (tenants, task actions, record and filter validation)
// that have words in the catalogue; any other code shows the server's own message.
const MESSAGES: Record<string, ProblemKey> = {
  required: 'required',
  invalid_email: 'invalid_email',
  password_too_short: 'password_too_short',
  password_too_long: 'password_too_long',
  invalid_slug: 'invalid_slug',
  reserved: 'reserved',
  too_long: 'too_long',
  not_editable: 'not_editable',
  unknown_node: 'unknown_node',
  not_passed: 'not_passed',
  not_human: 'not_human',
  user_required: 'user_required',
  principal: 'principal',
  forbidden: 'forbidden',
  type: 'type',
  bad_value: 'bad_value',
  maxLength: 'maxLength',
};

/**
 * FieldProblems lists under a field what the server found wrong at its JSON pointer
 * (or any of the pointers that mean this field).
 *
 * @example
 * <FieldProblems id="slug-problems" error={error} path="/slug" />
 */
export function FieldProblems({ id, error, path }: { id: string; error: unknown; path: string | readonly string[] }) {
  const problems = problemsAt(error, path);
  if (problems.length === 0) return null;
  return <ProblemList id={id} problems={problems} />;
}

/** ProblemList writes located problems in the person's language. */
export function ProblemList({ id, problems }: { id?: string; problems: FieldProblem[] }) {
  const { t } = useTranslation();
  return (
    <ul id={id} className="field-problems">
      {problems.map((p) => {
        const key = MESSAGES[p.code];
        return (
          <li key={p.path + p.code + p.message}>
            {key ? t(`fieldErrors.${key}`, { message: p.message }) : t('fieldErrors.other', { message: p.message })}
          </li>
        );
      })}
    </ul>
  );
}
