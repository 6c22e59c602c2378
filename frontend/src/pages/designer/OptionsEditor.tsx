import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { moveItem } from '../../core/designer/moveItem';
import type { Option } from '../../core/designer/types';
import { withLocale } from '../../core/designer/withLocale';
import { DesignerProblems } from './DesignerProblems';
import { LOCALES } from './PropInputs';

/**
 * OptionsEditor edits the choices of a select, radio or checkboxes field: each value and
 * its label per locale, added, removed, moved. Values stay numbers when the field's
 * values are numbers (a term of 12 or 24 months).
 *
 * @example
 * <OptionsEditor id="prop-n3-options" options={optionsOf(node)} onChange={(o) => edit({ kind: 'setOptions', field: node.id, options: o })} />
 */
export function OptionsEditor({
  id,
  options,
  onChange,
  problems,
}: {
  id: string;
  options: readonly Option[];
  onChange: (options: Option[]) => void;
  problems?: readonly FieldProblem[] | undefined;
}) {
  const { t } = useTranslation();
  const numeric = options.length > 0 && options.every((o) => typeof o.value === 'number');
  const set = (i: number, o: Option) => onChange(options.map((x, j) => (j === i ? o : x)));
  const invalid = (problems?.length ?? 0) > 0;

  return (
    <fieldset className="prop-group options-editor" aria-describedby={invalid ? `${id}-problems` : undefined}>
      <legend>{t('designer.props.options')}</legend>
      <ol className="options">
        {options.map((o, i) => {
          const row = `${id}-${i}`;
          return (
            <li key={i} className="option-row">
              <div className="field">
                <label htmlFor={`${row}-value`}>{t('designer.props.optionValue', { n: i + 1 })}</label>
                <input
                  id={`${row}-value`}
                  type="text"
                  className="code"
                  value={String(o.value)}
                  aria-invalid={invalid || undefined}
                  onChange={(e) => {
                    const n = Number(e.target.value);
                    set(i, { ...o, value: numeric && e.target.value.trim() !== '' && Number.isFinite(n) ? n : e.target.value });
                  }}
                />
              </div>
              {LOCALES.map((locale) => (
                <div className="field" key={locale}>
                  <label htmlFor={`${row}-${locale}`}>{t('designer.props.optionLabel', { n: i + 1, locale: t(`designer.locales.${locale}`) })}</label>
                  <input
                    id={`${row}-${locale}`}
                    type="text"
                    lang={locale}
                    value={typeof o.label[locale] === 'string' ? o.label[locale] : ''}
                    onChange={(e) => set(i, { ...o, label: withLocale(o.label, locale, e.target.value) ?? {} })}
                  />
                </div>
              ))}
              <div className="option-actions">
                <button type="button" disabled={i === 0} onClick={() => onChange(moveItem(options, i, i - 1))} aria-label={t('designer.props.optionUp', { n: i + 1 })}>
                  ↑
                </button>
                <button
                  type="button"
                  disabled={i === options.length - 1}
                  onClick={() => onChange(moveItem(options, i, i + 1))}
                  aria-label={t('designer.props.optionDown', { n: i + 1 })}
                >
                  ↓
                </button>
                <button type="button" onClick={() => onChange(options.filter((_, j) => j !== i))} aria-label={t('designer.props.removeOption', { n: i + 1 })}>
                  ×
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() => {
          const n = options.length + 1;
          const value = numeric ? Math.max(0, ...options.map((o) => Number(o.value))) + 1 : `option_${n}`;
          onChange([...options, { value, label: { 'zh-CN': t('designer.defaults.option', { n, lng: 'zh-CN' }), en: t('designer.defaults.option', { n, lng: 'en' }) } }]);
        }}
      >
        {t('designer.props.addOption')}
      </button>
      <DesignerProblems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}

