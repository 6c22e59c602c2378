import { useTranslation } from 'react-i18next';
import { FieldInput } from '../../components/FieldInput';
import { FieldProblems } from '../../components/FieldProblems';
import { problemsAt } from '../../core/api/problemsAt';
import type { EntryField, EntryRow, EntryValue } from '../../core/entry/types';
import { valueKind } from '../../core/entry/valueKind';
import type { InputValue } from '../../core/forms/inputValue';
import { localized } from '../../core/forms/localized';
import { AttachmentInput } from './AttachmentInput';
import { SubTableInput } from './SubTableInput';

interface Props {
  field: EntryField;
  id: string;
  /** path is the field's JSON pointer in the record ("/name", "/contacts/0/phone"). */
  path: string;
  value: EntryValue | undefined;
  onChange: (value: EntryValue) => void;
  /** error holds the located problems, worded for the person. */
  error: unknown;
}

/**
 * EntryInput is the input of one field as its widget calls for: the record pages' own
 * inputs for text, numbers, dates, choices and yes/no, a radio group, a group of
 * checkboxes for several choices, one entry per line for lists, file uploads for
 * attachments, rows for a sub-table —
 * with help, the required mark and its problems read out with it.
 *
 * @example
 * <EntryInput field={f} id="entry-name" path="/name" value={values.name} onChange={(v) => set('name', v)} error={error} />
 */
export function EntryInput({ field, id, path, value, onChange, error }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const label = localized(field.label, lang, field.name) + (field.required ? ' *' : '');
  const help = field.help ? <small className="hint">{localized(field.help, lang, '')}</small> : null;
  const kind = valueKind(field);
  const invalid = problemsAt(error, path).length > 0 || undefined;

  if (field.widget === 'attachment' && (kind === 'lines' || kind === 'text')) {
    return <AttachmentInput field={field} id={id} path={path} label={label} help={help} value={value} onChange={onChange} error={error} />;
  }

  if (kind === 'table') {
    return <SubTableInput field={field} id={id} path={path} label={label} help={help} rows={Array.isArray(value) ? (value as EntryRow[]) : []} onChange={onChange} error={error} />;
  }

  if (kind === 'choices' || (field.widget === 'radio' && field.options)) {
    const several = kind === 'choices';
    const chosen = several ? (Array.isArray(value) ? (value as string[]) : []) : typeof value === 'string' ? value : '';
    return (
      <fieldset className="entry-choices" aria-describedby={invalid ? `${id}-problems` : undefined}>
        <legend>{label}</legend>
        {(field.options ?? []).map((o, i) => {
          const key = String(i);
          const checked = several ? (chosen as string[]).includes(key) : chosen === key;
          return (
            <label key={key} className="check">
              <input
                type={several ? 'checkbox' : 'radio'}
                name={id}
                value={key}
                checked={checked}
                aria-invalid={invalid}
                onChange={(e) => {
                  if (!several) onChange(key);
                  else onChange(e.target.checked ? [...(chosen as string[]), key].sort((a, b) => Number(a) - Number(b)) : (chosen as string[]).filter((x) => x !== key));
                }}
              />
              {localized(o.label, lang, String(o.value))}
            </label>
          );
        })}
        {help}
        <FieldProblems id={`${id}-problems`} error={error} path={path} />
      </fieldset>
    );
  }

  if (kind === 'lines') {
    const text = typeof value === 'string' ? value : '';
    const entries = text.split('\n').length;
    const paths = [path, ...Array.from({ length: entries }, (_, i) => `${path}/${i}`)];
    const listInvalid = problemsAt(error, paths).length > 0 || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          name={field.name}
          value={text}
          rows={3}
          aria-invalid={listInvalid}
          aria-describedby={`${id}-lines${listInvalid ? ` ${id}-problems` : ''}`}
          onChange={(e) => onChange(e.target.value)}
        />
        <small id={`${id}-lines`} className="hint">
          {t('entry.lines')}
        </small>
        {help}
        <FieldProblems id={`${id}-problems`} error={error} path={paths} />
      </div>
    );
  }

  const column = { name: field.name, label: { [lang]: label }, widget: field.widget, ...(field.options ? { options: field.options } : {}) };
  return (
    <div className="entry-field">
      <FieldInput id={id} column={column} value={value as InputValue} onChange={(v) => onChange(v)} error={error} paths={[path]} />
      {help}
    </div>
  );
}
