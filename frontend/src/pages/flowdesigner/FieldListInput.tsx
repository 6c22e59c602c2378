import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import type { Json } from '../../core/designer/types';
import { Problems, type Choice } from './Inputs';

/**
 * FieldListInput edits a list of field names (editable fields, the fields a webhook
 * sends, the fields whose change fires a rule): each chosen field with a button to
 * remove it, and a choice of the others to add. An emptied list goes, unless keepEmpty.
 */
export function FieldListInput({
  id,
  label,
  value,
  choices,
  onChange,
  problems,
  keepEmpty = false,
}: {
  id: string;
  label: string;
  value: Json | undefined;
  choices: readonly Choice[];
  onChange: (v: Json[] | undefined) => void;
  problems?: readonly FieldProblem[] | undefined;
  keepEmpty?: boolean;
}) {
  const { t } = useTranslation();
  const list = Array.isArray(value) ? value : [];
  const name = (v: Json) => (typeof v === 'string' ? (choices.find((c) => c.value === v)?.label ?? v) : JSON.stringify(v));
  const set = (next: Json[]) => onChange(next.length === 0 && !keepEmpty ? undefined : next);
  const left = choices.filter((c) => !list.includes(c.value));
  return (
    <fieldset className="prop-group field-list" aria-describedby={problems && problems.length > 0 ? `${id}-problems` : undefined}>
      <legend>{label}</legend>
      {list.length > 0 ? (
        <ul className="chips">
          {list.map((v, i) => (
            <li key={`${i}-${String(v)}`} className="chip">
              <span>{name(v)}</span>
              <button type="button" className="chip-remove" aria-label={t('automation.flows.panel.removeField', { field: name(v) })} onClick={() => set(list.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label className="visually-hidden" htmlFor={`${id}-add`}>
        {`${label}: ${t('automation.flows.panel.addField')}`}
      </label>
      <select
        id={`${id}-add`}
        value=""
        onChange={(e) => {
          if (e.target.value) set([...list, e.target.value]);
        }}
      >
        <option value="">{t('automation.flows.panel.addField')}</option>
        {left.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <Problems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}
