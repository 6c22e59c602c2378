import type { ComponentType, HTMLInputTypeAttribute } from 'react';
import { problemsAt } from '../core/api/problemsAt';
import { FieldProblems } from './FieldProblems';

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
  /** problemsAs words the problems (an area with its own codes, such as administration, gives its own); default FieldProblems. */
  problemsAs?: ComponentType<{ id: string; error: unknown; path: string | readonly string[] }>;
}

/**
 * TextField is a labelled input with its hint and the server's problems, both read out
 * with the field (aria-describedby); a field with problems is marked invalid.
 *
 * @example
 * <TextField id="slug" label={t('tenants.create.slug')} value={slug} onChange={setSlug} error={error} path="/slug" />
 * <TextField id="role-key" label={t('admin.roles.key')} value={key} onChange={setKey} error={error} path="/key" problemsAs={AdminFieldProblems} />
 */
export function TextField({ id, label, value, onChange, type = 'text', autoComplete, hint, error, path, problemsAs: Problems = FieldProblems }: Props) {
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
      {path !== undefined ? <Problems id={`${id}-problems`} error={error} path={path} /> : null}
    </div>
  );
}
