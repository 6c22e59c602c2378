import type { ComponentProps, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import * as shared from '../../components/inputs/LabelledInputs';
import { invalidAttrs as invalid } from '../../components/inputs/LabelledInputs';
import type { FieldProblem } from '../../core/api/apiError';
import type { Json } from '../../core/designer/types';
import { ProblemList } from '../../components/FieldProblems';
import type { en } from '../../i18n/en';

// The inputs of the flow designer's and the rule editor's property panels. Each shows
// under it what the server found wrong with the member it edits, in the person's words.

type OwnCode = keyof (typeof en)['automation']['problems'];
type DesignerCode = keyof (typeof en)['designer']['problems'];

export { LOCALES } from '../../components/inputs/LabelledInputs';

/**
 * Problems lists problems the server located on a member: the flow and rule codes have
 * their words here, the definition codes (CEL syntax and types, meta-schema) the form
 * designer's; anything else shows the server's message.
 */
export function Problems({ id, problems }: { id: string; problems: readonly FieldProblem[] | undefined }) {
  const { t, i18n } = useTranslation();
  if (!problems || problems.length === 0) return null;
  const words = (p: FieldProblem): string | null => {
    const values = { ...p.params, message: p.message };
    if (i18n.exists(`automation.problems.${p.code}`)) return t(`automation.problems.${p.code as OwnCode}`, values);
    if (i18n.exists(`designer.problems.${p.code}`)) return t(`designer.problems.${p.code as DesignerCode}`, values);
    return null;
  };
  const other = problems.filter((p) => words(p) === null);
  return (
    <ul id={id} className="field-problems">
      {problems
        .filter((p) => words(p) !== null)
        .map((p) => (
          <li key={p.path + p.code + p.message}>{words(p)}</li>
        ))}
      {other.length > 0 ? (
        <li className="plain">
          <ProblemList problems={other} />
        </li>
      ) : null}
    </ul>
  );
}

interface Common {
  id: string;
  label: ReactNode;
  problems?: readonly FieldProblem[] | undefined;
  hint?: string | undefined;
}

/**
 * TextInput edits a text member; emptied, the member goes (undefined), unless keepEmpty.
 *
 * @example
 * <TextInput id="n3-after" label={t('automation.flows.panel.after')} value={sla.after} onChange={(v) => set(['sla', 'after'], v)} />
 */
export function TextInput(props: Omit<ComponentProps<typeof shared.TextInput>, 'problemsAs' | 'rows'>) {
  return <shared.TextInput rows={3} {...props} problemsAs={Problems} />;
}

/** Choice is one option of a SelectInput. */
export interface Choice {
  value: string;
  label: string;
}

/**
 * SelectInput chooses one of a few values; a value not among them (a half-done draft's)
 * is shown as it is so nothing is lost by looking.
 *
 * @example
 * <SelectInput id="n3-mode" label="Who decides" value={node.mode} choices={modes} onChange={(v) => set(['mode'], v)} />
 */
export function SelectInput({
  id,
  label,
  value,
  choices,
  onChange,
  problems,
  hint,
  empty,
}: Common & { value: Json | undefined; choices: readonly Choice[]; onChange: (v: string | undefined) => void; empty?: string }) {
  const current = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  const known = choices.some((c) => c.value === current) || (current === '' && empty !== undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={current} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} {...invalid(id, problems)}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {!known ? <option value={current}>{current}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {hint ? <small className="hint">{hint}</small> : null}
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * LocalizedInput edits a text per locale (zh-CN, en), keeping other locales; emptied
 * entirely it goes.
 *
 * @example
 * <LocalizedInput id="n3-name" label="Name" value={node.name} onChange={(v) => set(['name'], v)} />
 */
export function LocalizedInput(props: Omit<ComponentProps<typeof shared.LocalizedInput>, 'problemsAs' | 'multiline'>) {
  return <shared.LocalizedInput {...props} problemsAs={Problems} />;
}

/**
 * CheckInput edits a yes/no member.
 *
 * @example
 * <CheckInput id="n3-rerun" label="Call again" checked={node.rerun === true} onChange={(on) => set(['rerun'], on || undefined)} />
 */
export function CheckInput(props: Omit<ComponentProps<typeof shared.CheckInput>, 'problemsAs'>) {
  return <shared.CheckInput {...props} problemsAs={Problems} />;
}
