import { useTranslation } from 'react-i18next';
import { ProblemList } from '../../components/FieldProblems';
import type { FieldProblem } from '../../core/api/apiError';
import { problemsAt } from '../../core/api/problemsAt';
import { describeAdminError } from '../../core/admin/describeAdminError';
import type { en } from '../../i18n/en';

/**
 * AdminError says in the person's language why an administration request failed, as
 * an alert screen readers announce.
 *
 * @example
 * {error ? <AdminError error={error} /> : null}
 */
export function AdminError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { key, values } = describeAdminError(error);
  return (
    <p role="alert" className="notice notice-error">
      {t(key, values)}
    </p>
  );
}

type ProblemKey = keyof (typeof en)['admin']['problems'];
const WORDED = new Set<string>([
  'invalid_key', 'duplicate', 'unknown_role', 'unknown_user', 'invalid_object', 'invalid_action', 'action_not_allowed',
  'invalid_effect', 'read_only', 'cel_syntax', 'cel_type', 'unknown_form', 'schema', 'unknown_column', 'ambiguous_column',
  'unknown_field', 'duplicate_field', 'unmapped_key', 'no_header', 'too_many', 'blocked_by_deny',
] satisfies ProblemKey[]);

/**
 * AdminProblems lists located problems of an administration request in words: the
 * codes of these routes from the admin catalogue, the others as every form words them.
 *
 * @example
 * <AdminProblems id="role-key-problems" problems={problemsAt(error, '/key')} />
 */
export function AdminProblems({ id, problems }: { id?: string; problems: FieldProblem[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  const own = problems.filter((p) => WORDED.has(p.code));
  const rest = problems.filter((p) => !WORDED.has(p.code));
  return (
    <div id={id}>
      {own.length > 0 ? (
        <ul className="field-problems">
          {own.map((p) => (
            <li key={p.path + p.code + p.message}>
              {t(`admin.problems.${p.code as ProblemKey}`, { message: p.message, ...stringParams(p.params) })}
            </li>
          ))}
        </ul>
      ) : null}
      {rest.length > 0 ? <ProblemList problems={rest} /> : null}
    </div>
  );
}

/** AdminFieldProblems places an error's problems at a JSON pointer under its input. */
export function AdminFieldProblems({ id, error, path }: { id: string; error: unknown; path: string | readonly string[] }) {
  return <AdminProblems id={id} problems={problemsAt(error, path)} />;
}

function stringParams(params: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = String(v);
  return out;
}
