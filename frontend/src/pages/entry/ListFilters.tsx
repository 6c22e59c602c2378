import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldAccess } from '../../core/api/types';
import { filterOps } from '../../core/entry/filterOps';
import type { FilterRow } from '../../core/entry/listTypes';
import { localized } from '../../core/forms/localized';

interface Props {
  /** fields are those the list may filter on (read in full, one value each). */
  fields: FieldAccess[];
  rows: FilterRow[];
  /** bad marks the rows that cannot be used (by index), the browser's finding or the server's. */
  bad: ReadonlySet<number>;
  onApply: (rows: FilterRow[]) => void;
}

/**
 * ListFilters edits the record list's conditions — field, condition, value — offering
 * for each field the conditions that make sense and its own kind of input (its
 * choices, yes / no, a date, a number); Apply puts them in the URL.
 */
export function ListFilters({ fields, rows: applied, bad, onApply }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [rows, setRows] = useState<FilterRow[]>(applied);
  const appliedKey = JSON.stringify(applied);
  useEffect(() => setRows(JSON.parse(appliedKey) as FilterRow[]), [appliedKey]);

  const set = (i: number, patch: Partial<FilterRow>) =>
    setRows((rs) =>
      rs.map((r, j) => {
        if (j !== i) return r;
        const next = { ...r, ...patch };
        // A field's own conditions and values: a new field starts over.
        if (patch.field !== undefined && patch.field !== r.field) {
          const f = fields.find((x) => x.name === patch.field);
          next.op = f ? (filterOps(f)[0] ?? 'eq') : 'eq';
          next.value = '';
        }
        if (patch.op === 'exists') next.value = 'true';
        return next;
      }),
    );
  const add = () => {
    const f = fields[0];
    if (f) setRows((rs) => [...rs, { field: f.name, op: filterOps(f)[0] ?? 'eq', value: '' }]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(rows);
  };

  return (
    <form className="list-filters" onSubmit={submit} aria-label={t('entry.list.filters')}>
      {rows.map((r, i) => {
        const f = fields.find((x) => x.name === r.field);
        const ops = f ? filterOps(f) : [];
        const id = `filter-${i}`;
        const invalid = bad.has(i) || undefined;
        return (
          <div key={i} className="filter-row" role="group" aria-label={`${t('entry.list.filters')} ${i + 1}`}>
            <label className="inline">
              <span className="visually-hidden">{t('entry.list.field')}</span>
              <select value={r.field} onChange={(e) => set(i, { field: e.target.value })} aria-invalid={invalid}>
                {f ? null : <option value={r.field}>{r.field}</option>}
                {fields.map((x) => (
                  <option key={x.name} value={x.name}>
                    {localized(x.label, lang, x.name)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline">
              <span className="visually-hidden">{t('entry.list.op')}</span>
              <select value={r.op} onChange={(e) => set(i, { op: e.target.value as FilterRow['op'] })}>
                {(ops.includes(r.op) ? ops : [r.op, ...ops]).map((op) => (
                  <option key={op} value={op}>
                    {t(`entry.list.ops.${op}`)}
                  </option>
                ))}
              </select>
            </label>
            <ValueInput id={id} row={r} field={f} invalid={invalid} onChange={(value) => set(i, { value })} />
            <button type="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={t('entry.list.removeFilter', { n: i + 1 })}>
              ×
            </button>
            {invalid ? (
              <p id={`${id}-problems`} className="field-problems">
                {t('entry.list.badFilter')}
              </p>
            ) : null}
          </div>
        );
      })}
      <div className="toolbar">
        <button type="button" onClick={add} disabled={fields.length === 0}>
          {t('entry.list.addFilter')}
        </button>
        <button type="submit" className="primary">
          {t('entry.list.apply')}
        </button>
        {applied.length > 0 ? (
          <button type="button" onClick={() => onApply([])}>
            {t('entry.list.clear')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function ValueInput({ id, row, field, invalid, onChange }: { id: string; row: FilterRow; field: FieldAccess | undefined; invalid: true | undefined; onChange: (v: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const common = { id, value: row.value, 'aria-invalid': invalid, 'aria-describedby': invalid ? `${id}-problems` : undefined };
  const list = row.op === 'in' || row.op === 'nin';
  let input;
  if (row.op === 'exists') {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="true">{t('entry.list.present')}</option>
        <option value="false">{t('entry.list.absent')}</option>
      </select>
    );
  } else if (field?.options && !list) {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {field.options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {localized(o.label, lang, String(o.value))}
          </option>
        ))}
      </select>
    );
  } else if (field?.widget === 'checkbox') {
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        <option value="true">{t('records.yes')}</option>
        <option value="false">{t('records.no')}</option>
      </select>
    );
  } else {
    const numeric = field?.widget === 'money' || field?.widget === 'number';
    input = (
      <input
        {...common}
        type={field?.widget === 'date' && !list ? 'date' : 'text'}
        inputMode={numeric ? 'decimal' : undefined}
        placeholder={list ? (field?.options ?? []).map((o) => String(o.value)).join(',') : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <label className="inline">
      <span className="visually-hidden">{list ? t('entry.list.valueList') : t('entry.list.value')}</span>
      {input}
    </label>
  );
}
