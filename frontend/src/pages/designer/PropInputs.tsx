import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { isObject } from '../../core/designer/isObject';
import type { Json } from '../../core/designer/types';
import { withLocale } from '../../core/designer/withLocale';
import { DesignerProblems } from './DesignerProblems';

/** LOCALES are the languages a definition's texts are written in here. */
export const LOCALES = ['zh-CN', 'en'] as const;

interface PropProps {
  id: string;
  problems?: readonly FieldProblem[] | undefined;
}

const invalidProps = (id: string, problems: readonly FieldProblem[] | undefined) =>
  problems && problems.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problems` } : {};

/**
 * LocalizedInputs edits a localized text: one input per locale (zh-CN, en); other
 * locales the text has are kept. An emptied locale is removed, an emptied text is
 * undefined.
 *
 * @example
 * <LocalizedInputs id="prop-n3-label" label={t('designer.props.label')} value={meta.label} onChange={(v) => setMeta('label', v)} />
 */
export function LocalizedInputs({
  id,
  label,
  value,
  onChange,
  problems,
  multiline = false,
}: PropProps & { label: string; value: Json | undefined; onChange: (v: Json | undefined) => void; multiline?: boolean }) {
  const { t } = useTranslation();
  const text = isObject(value) ? value : {};
  return (
    <fieldset className="prop-group">
      <legend>{label}</legend>
      {LOCALES.map((locale) => {
        const inputId = `${id}-${locale}`;
        const current = typeof text[locale] === 'string' ? text[locale] : '';
        const common = {
          id: inputId,
          lang: locale,
          value: current,
          ...invalidProps(id, problems),
        };
        return (
          <div className="field" key={locale}>
            <label htmlFor={inputId}>{t('designer.props.inLocale', { what: label, locale: t(`designer.locales.${locale}`) })}</label>
            {multiline ? (
              <textarea {...common} onChange={(e) => onChange(withLocale(value, locale, e.target.value))} />
            ) : (
              <input type="text" {...common} onChange={(e) => onChange(withLocale(value, locale, e.target.value))} />
            )}
          </div>
        );
      })}
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}

/**
 * TextProp edits one text property; an emptied input removes it.
 *
 * @example
 * <TextProp id="prop-n3-pattern" label={t('designer.props.pattern')} value={schema.pattern} onChange={(v) => setSchema('pattern', v)} />
 */
export function TextProp({
  id,
  label,
  value,
  onChange,
  problems,
  hint,
  multiline = false,
}: PropProps & { label: string; value: Json | undefined; onChange: (v: string | undefined) => void; hint?: string; multiline?: boolean }) {
  const common = {
    id,
    value: typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value),
    spellCheck: false,
    ...invalidProps(id, problems),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} className="code" onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      ) : (
        <input type="text" {...common} className="code" onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      )}
      {hint ? <small className="hint">{hint}</small> : null}
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * NumberProp edits a number property (a bound, a length, a count). An emptied input
 * removes it; what is not a number is kept as typed, so the server names the problem
 * on this very input.
 *
 * @example
 * <NumberProp id="prop-n3-maxLength" label={t('designer.props.maxLength')} value={schema.maxLength} onChange={(v) => setSchema('maxLength', v)} />
 */
export function NumberProp({ id, label, value, onChange, problems }: PropProps & { label: string; value: Json | undefined; onChange: (v: Json | undefined) => void }) {
  const [typed, setTyped] = useState<string | null>(null);
  const shown = typed ?? (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={shown}
        onChange={(e) => {
          const s = e.target.value;
          setTyped(s);
          const n = Number(s);
          onChange(s.trim() === '' ? undefined : Number.isFinite(n) ? n : s);
        }}
        onBlur={() => setTyped(null)}
        {...invalidProps(id, problems)}
      />
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * CheckProp edits a yes/no property.
 *
 * @example
 * <CheckProp id="prop-n3-indexed" label={t('designer.props.indexed')} checked={meta.indexed === true} onChange={(on) => setMeta('indexed', on || undefined)} />
 */
export function CheckProp({ id, label, checked, onChange, problems }: PropProps & { label: ReactNode; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} {...invalidProps(id, problems)} />
        {label}
      </label>
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
