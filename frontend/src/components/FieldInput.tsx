import { useTranslation } from 'react-i18next';
import { problemsAt } from '../core/api/problemsAt';
import type { Column } from '../core/forms/columns';
import type { InputValue } from '../core/forms/inputValue';
import { localized } from '../core/forms/localized';
import { FieldProblems } from './FieldProblems';

interface Props {
  id: string;
  column: Column;
  value: InputValue;
  onChange: (value: InputValue) => void;
  /** error and paths place the server's problems at these JSON pointers under the field. */
  error?: unknown;
  paths: readonly string[];
}

/**
 * FieldInput is the input a form field's widget calls for — a list of its choices, a
 * checkbox, a date, a number or text — labelled in the current language, with the
 * server's problems read out with it and the field marked invalid.
 *
 * @example
 * <FieldInput id="f-approved_limit" column={col} value={v} onChange={setV} error={error} paths={['/fields/approved_limit', '/approved_limit']} />
 */
export function FieldInput({ id, column, value, onChange, error, paths }: Props) {
  const { i18n } = useTranslation();
  const label = localized(column.label, i18n.language, column.name);
  const invalid = problemsAt(error, paths).length > 0;
  const common = {
    id,
    name: column.name,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${id}-problems` : undefined,
  };
  const text = typeof value === 'string' ? value : '';

  let input;
  if (column.widget === 'checkbox') {
    input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (column.options) {
    input = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {column.options.map((o, i) => (
          <option key={String(o.value)} value={String(i)}>
            {localized(o.label, i18n.language, String(o.value))}
          </option>
        ))}
      </select>
    );
  } else if (column.widget === 'textarea') {
    input = <textarea {...common} value={text} onChange={(e) => onChange(e.target.value)} />;
  } else {
    const numeric = column.widget === 'money' || column.widget === 'number';
    input = (
      <input
        {...common}
        type={column.widget === 'date' ? 'date' : 'text'}
        inputMode={numeric ? 'decimal' : undefined}
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  return (
    <div className={column.widget === 'checkbox' ? 'field field-check' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {input}
      <FieldProblems id={`${id}-problems`} error={error} path={paths} />
    </div>
  );
}
