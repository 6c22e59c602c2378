import type { ReactNode } from 'react';
import { useDashEditor } from './DashEditorContext';
import { DashProblems } from './DashProblems';

interface Common {
  id: string;
  label: string;
  /** pointer is the JSON pointer of what the input edits; its problems show under it. */
  pointer: string;
  hint?: string;
}

/** idOf turns a pointer into an element id. */
const idOf = (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, '-');

/**
 * DashInput is a labelled input of the dashboard designer: text (with a list of
 * suggestions), a number, a choice or a checkbox, marked invalid and described by its
 * problems.
 *
 * @example
 * <DashInput kind="text" id="w0-id" label={t('dashdesigner.widget.id')} pointer="/widgets/0/id" value={id} onChange={setId} />
 */
export function DashInput(
  props: Common &
    (
      | { kind: 'text' | 'number'; value: string; onChange: (v: string) => void; list?: string }
      | { kind: 'select'; value: string; onChange: (v: string) => void; options: ReadonlyArray<{ value: string; label: string }> }
      | { kind: 'check'; value: boolean; onChange: (v: boolean) => void }
    ),
) {
  const { problemsAt } = useDashEditor();
  const problems = problemsAt(props.pointer);
  const id = idOf(props.id);
  const invalid = problems.length > 0 || undefined;
  const describedBy = [props.hint ? `${id}-hint` : '', invalid ? `${id}-problems` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy };
  let input: ReactNode;
  if (props.kind === 'check') {
    input = <input type="checkbox" {...common} checked={props.value} onChange={(e) => props.onChange(e.target.checked)} />;
  } else if (props.kind === 'select') {
    const known = props.options.some((o) => o.value === props.value);
    input = (
      <select {...common} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {known ? null : <option value={props.value}>{props.value || '—'}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type="text"
        inputMode={props.kind === 'number' ? 'numeric' : undefined}
        value={props.value}
        list={props.kind === 'text' ? props.list : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={props.kind === 'check' ? 'field field-check' : 'field'}>
      {props.kind === 'check' ? input : null}
      <label htmlFor={id}>{props.label}</label>
      {props.kind === 'check' ? null : input}
      {props.hint ? (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      ) : null}
      <DashProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
