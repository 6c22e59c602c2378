import type { ComponentType, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { isObject } from '../../core/designer/isObject';
import type { Json } from '../../core/designer/types';
import { withLocale } from '../../core/designer/withLocale';

// The labelled inputs of the designers' property panels. Each shows under it what the
// server found wrong with the member it edits; problemsAs words those problems, since
// each designer has codes of its own.

/** LOCALES are the languages a definition's texts are written in here; others are kept. */
export const LOCALES = ['zh-CN', 'en'] as const;

/** ProblemsView lists the problems located on one input, under it (its id is the input's id + "-problems"). */
export type ProblemsView = ComponentType<{ id: string; problems: readonly FieldProblem[] | undefined }>;

/** InputCommon is what every labelled input takes. */
export interface InputCommon {
  id: string;
  label: ReactNode;
  problems?: readonly FieldProblem[] | undefined;
  problemsAs: ProblemsView;
}

/** invalidAttrs marks an input with problems invalid and points it at their list. */
export const invalidAttrs = (id: string, problems: readonly FieldProblem[] | undefined) =>
  problems && problems.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problems` } : {};

/**
 * TextInput edits a text member; emptied, the member goes (undefined), unless keepEmpty.
 *
 * @example
 * <TextInput id="n3-after" label={t('automation.flows.panel.after')} value={sla.after} onChange={(v) => set(['sla', 'after'], v)} problemsAs={Problems} />
 */
export function TextInput({
  id,
  label,
  value,
  onChange,
  problems,
  problemsAs: Problems,
  hint,
  multiline = false,
  rows,
  code = false,
  list,
  keepEmpty = false,
}: InputCommon & {
  value: Json | undefined;
  onChange: (v: string | undefined) => void;
  hint?: string | undefined;
  multiline?: boolean;
  rows?: number;
  code?: boolean;
  list?: string;
  keepEmpty?: boolean;
}) {
  const common = {
    id,
    value: typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value),
    spellCheck: false,
    className: code ? 'code' : undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value === '' && !keepEmpty ? undefined : e.target.value),
    ...invalidAttrs(id, problems),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea rows={rows} {...common} /> : <input type="text" list={list} {...common} />}
      {hint ? <small className="hint">{hint}</small> : null}
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * LocalizedInput edits a text per locale (zh-CN, en), keeping other locales; an emptied
 * locale is removed, an emptied text goes (undefined).
 *
 * @example
 * <LocalizedInput id="n3-name" label="Name" value={node.name} onChange={(v) => set(['name'], v)} problemsAs={Problems} />
 */
export function LocalizedInput({
  id,
  label,
  value,
  onChange,
  problems,
  problemsAs: Problems,
  multiline = false,
}: InputCommon & { value: Json | undefined; onChange: (v: Json | undefined) => void; multiline?: boolean }) {
  const { t } = useTranslation();
  const text = isObject(value) ? value : {};
  return (
    <fieldset className="prop-group">
      <legend>{label}</legend>
      {LOCALES.map((locale) => {
        const common = {
          id: `${id}-${locale}`,
          lang: locale,
          value: typeof text[locale] === 'string' ? text[locale] : '',
          onChange: (e: { target: { value: string } }) => onChange(withLocale(value, locale, e.target.value)),
          ...invalidAttrs(id, problems),
        };
        return (
          <div className="field" key={locale}>
            <label htmlFor={common.id}>{t('designer.props.inLocale', { what: label as string, locale: t(`designer.locales.${locale}`) })}</label>
            {multiline ? <textarea {...common} /> : <input type="text" {...common} />}
          </div>
        );
      })}
      <Problems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}

/**
 * CheckInput edits a yes/no member.
 *
 * @example
 * <CheckInput id="n3-rerun" label="Call again" checked={node.rerun === true} onChange={(on) => set(['rerun'], on || undefined)} problemsAs={Problems} />
 */
export function CheckInput({ id, label, checked, onChange, problems, problemsAs: Problems }: InputCommon & { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} {...invalidAttrs(id, problems)} />
        {label}
      </label>
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
