import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import type { en } from '../../i18n/en';
import { ProblemList } from '../../components/FieldProblems';

type ProblemCode = keyof (typeof en)['designer']['problems'];

/**
 * DesignerProblems lists what the server found wrong with a property of the definition,
 * in the person's language: the definition's own codes (a pattern the server cannot
 * compile, options that differ from the enum, an expression that does not type-check…)
 * have their words here; any other code is worded as FieldProblems words it.
 *
 * @example
 * <DesignerProblems id="prop-n3-pattern-problems" problems={problems.pattern} />
 */
export function DesignerProblems({ id, problems }: { id: string; problems: readonly FieldProblem[] | undefined }) {
  const { t, i18n } = useTranslation();
  if (!problems || problems.length === 0) return null;
  const own = problems.filter((p) => i18n.exists(`designer.problems.${p.code}`));
  const other = problems.filter((p) => !own.includes(p));
  return (
    <ul id={id} className="field-problems">
      {own.map((p) => (
        <li key={p.path + p.code + p.message}>{t(`designer.problems.${p.code as ProblemCode}`, { ...p.params, message: p.message, detail: detail(p.message) })}</li>
      ))}
      {other.length > 0 ? (
        <li className="plain">
          <ProblemList problems={other} />
        </li>
      ) : null}
    </ul>
  );
}

/** detail is what a server message says after its opening words ("is not a regular expression …: missing closing ]"). */
function detail(message: string): string {
  const i = message.indexOf(': ');
  return i >= 0 ? message.slice(i + 2) : message;
}
