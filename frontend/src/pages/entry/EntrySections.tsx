import { useTranslation } from 'react-i18next';
import { isEditable } from '../../core/entry/isEditable';
import type { EntryField, EntryForm, EntryMode, EntryValue, EntryValues } from '../../core/entry/types';
import { valueKind } from '../../core/entry/valueKind';
import { formatCell } from '../../core/forms/formatCell';
import { localized } from '../../core/forms/localized';
import { useCellWords } from '../../hooks/useCellWords';
import { SubTableView } from '../record/SubTableView';
import { EntryInput } from './EntryInput';

interface Props {
  form: EntryForm;
  mode: EntryMode;
  values: EntryValues;
  onChange: (name: string, value: EntryValue) => void;
  /** data is the record as read (edit), for the fields shown but not editable. */
  data: Record<string, unknown>;
  error: unknown;
}

/**
 * EntrySections draws the entry form section by section, in each section's columns:
 * an input for every field the person may change, the others shown as they are with
 * why they cannot be changed (computed, masked, read only, set by decisions). A new
 * record shows only what can be given, and what the server will fill in.
 */
export function EntrySections({ form, mode, values, onChange, data, error }: Props) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  return (
    <>
      {form.sections.map((s, si) => {
        const fields = s.fields.flatMap((n) => {
          const f = byName.get(n);
          return f && shown(f, mode) ? [f] : [];
        });
        if (fields.length === 0) return null;
        const grid = (
          <div className="entry-grid" style={{ gridTemplateColumns: `repeat(${s.columns}, minmax(0, 1fr))` }}>
            {fields.map((f) =>
              isEditable(f, mode) ? (
                <EntryInput key={f.name} field={f} id={`entry-${f.name}`} path={`/${f.name}`} value={values[f.name]} onChange={(v) => onChange(f.name, v)} error={error} />
              ) : (
                <FixedField key={f.name} field={f} mode={mode} value={data[f.name]} />
              ),
            )}
          </div>
        );
        return s.title ? (
          <fieldset key={s.key || si} className="entry-section">
            <legend>{localized(s.title, lang, s.key)}</legend>
            {s.description ? <p className="hint">{localized(s.description, lang, '')}</p> : null}
            {grid}
          </fieldset>
        ) : (
          <div key={s.key || si} className="entry-section">
            {grid}
          </div>
        );
      })}
    </>
  );
}

/** shown: a new record shows what can be given and what the server fills in; a record being changed shows everything readable. */
function shown(f: EntryField, mode: EntryMode): boolean {
  if (isEditable(f, mode)) return true;
  if (mode === 'create') return f.computed || valueKind(f) === 'other';
  return f.view !== 'none';
}

/** FixedField shows a field that cannot be changed here (a sub-table as a small table), and why. */
function FixedField({ field, mode, value }: { field: EntryField; mode: EntryMode; value: unknown }) {
  const { t, i18n } = useTranslation();
  const words = useCellWords();
  const lang = i18n.language;
  let why: string;
  if (field.computed) why = mode === 'create' ? t('entry.computedLater') : t('entry.computed');
  else if (valueKind(field) === 'other' && field.widget === 'decision') why = t('entry.decision');
  else if (field.view === 'masked') why = t('entry.masked');
  else why = t('entry.readOnly');
  return (
    <div className="field entry-fixed">
      <span className="label">{localized(field.label, lang, field.name)}</span>
      {mode === 'edit' && valueKind(field) === 'table' ? (
        <SubTableView table={{ ...field, columns: (field.columns ?? []).filter((c) => c.view !== 'none') }} value={value} files={[]} />
      ) : mode === 'edit' ? (
        <p className="entry-value">{formatCell(value, field, lang, words)}</p>
      ) : null}
      <small className="hint">{why}</small>
    </div>
  );
}
