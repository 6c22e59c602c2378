import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import type { en } from '../../i18n/en';

type Code = Exclude<keyof (typeof en)['dashdesigner']['problems'], 'other'>;

/**
 * DashProblems lists the problems placed on one input of the dashboard designer, in
 * the person's words where the code is known, else the server's own message.
 *
 * @example
 * <DashProblems id="w0-id-problems" problems={problemsAt('/widgets/0/id')} />
 */
export function DashProblems({ id, problems }: { id: string; problems: readonly FieldProblem[] }) {
  const { t, i18n } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <ul id={id} className="field-problems">
      {problems.map((p) => (
        <li key={p.path + p.code + p.message}>
          {i18n.exists(`dashdesigner.problems.${p.code}`) && p.code !== 'other'
            ? t(`dashdesigner.problems.${p.code as Code}`)
            : t('dashdesigner.problems.other', { message: p.path ? `${p.path} ${p.message}` : p.message })}
        </li>
      ))}
    </ul>
  );
}
