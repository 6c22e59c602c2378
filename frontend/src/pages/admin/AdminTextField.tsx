import type { HTMLInputTypeAttribute } from 'react';
import { problemsAt } from '../../core/api/problemsAt';
import { AdminFieldProblems } from './AdminNotices';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
  hint?: string;
  /** error and path place the server's problems at this JSON pointer under the field. */
  error?: unknown;
  path?: string | readonly string[];
}

/**
 * AdminTextField is a labelled input of an administration form with its hint and the
 * server's problems in words, read out with the field; a field with problems is marked invalid.
 *
 * @example
 * <AdminTextField id="role-key" label={t('admin.roles.key')} value={key} onChange={setKey} error={error} path="/key" />
 */
export function AdminTextField({ id, label, value, onChange, type = 'text', autoComplete, hint, error, path }: Props) {
  const invalid = path !== undefined && problemsAt(error, path).length > 0;
  const describedBy = [hint ? `${id}-hint` : '', invalid ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={autoComplete}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint ? (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {path !== undefined ? <AdminFieldProblems id={`${id}-problems`} error={error} path={path} /> : null}
    </div>
  );
}
