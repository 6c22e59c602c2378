import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterRow } from '../../core/dashdesigner/filterRow';
import { filterRows } from '../../core/dashdesigner/filterRows';
import { rowsFilter } from '../../core/dashdesigner/rowsFilter';
import { LEAF_OPS, type Json, type LeafOp } from '../../core/dashdesigner/types';
import { useDashEditor } from './DashEditorContext';
import { DashProblems } from './DashProblems';

interface Props {
  id: string;
  legend: string;
  /** form names the datalist of field suggestions (fieldsListId). */
  list: string;
  value: Json | undefined;
  onChange: (filter: Json | undefined) => void;
  pointer: string;
}

/**
 * FilterEditor edits a record filter: a list of conditions (field, condition, value)
 * that all must hold, or — for filters with "or", "not" or nested groups, or when the
 * person asks — the filter's JSON, read back only when it parses.
 */
export function FilterEditor({ id, legend, list, value, onChange, pointer }: Props) {
  const { t } = useTranslation();
  const { problemsAt } = useDashEditor();
  const parsed = filterRows(value);
  // The rows as typed ("a," while typing a list) as long as they still say the filter held.
  const [typed, setTyped] = useState<FilterRow[] | null>(parsed);
  const rows = typed && JSON.stringify(rowsFilter(typed)) === JSON.stringify(value) ? typed : parsed;
  const [json, setJson] = useState<string | null>(parsed ? null : JSON.stringify(value, null, 2));
  const [jsonError, setJsonError] = useState('');
  const problems = problemsAt(pointer);
  const invalid = problems.length > 0 || undefined;

  const setRows = (next: FilterRow[]) => {
    setTyped(next);
    onChange(rowsFilter(next));
  };
  const setRow = (i: number, patch: Partial<FilterRow>) => {
    if (!rows) return;
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch, ...(patch.op === 'exists' ? { value: 'true' } : {}) } : r)));
  };

  if (json !== null || !rows) {
    const text = json ?? JSON.stringify(value, null, 2);
    return (
      <fieldset className="dash-filter">
        <legend>{legend}</legend>
        {!rows ? <p className="hint">{t('dashdesigner.filter.notSimple')}</p> : null}
        <label htmlFor={`${id}-json`}>{t('dashdesigner.filter.json')}</label>
        <textarea
          id={`${id}-json`}
          className="code"
          rows={Math.min(12, text.split('\n').length + 1)}
          value={text}
          aria-invalid={invalid || (jsonError ? true : undefined)}
          aria-describedby={`${id}-json-hint ${id}-problems`}
          onChange={(e) => {
            const next = e.target.value;
            setJson(next);
            if (next.trim() === '') {
              setJsonError('');
              onChange(undefined);
              return;
            }
            try {
              onChange(JSON.parse(next) as Json);
              setJsonError('');
            } catch (err) {
              setJsonError(t('dashdesigner.filter.badJson', { message: (err as Error).message }));
            }
          }}
        />
        <small id={`${id}-json-hint`} className="hint">
          {t('dashdesigner.filter.jsonHint')}
        </small>
        {jsonError ? <p className="field-problems">{jsonError}</p> : null}
        <DashProblems id={`${id}-problems`} problems={problems} />
        {parsed ? (
          <button type="button" className="link" onClick={() => setJson(null)}>
            {t('dashdesigner.filter.asRows')}
          </button>
        ) : null}
      </fieldset>
    );
  }

  return (
    <fieldset className="dash-filter" aria-describedby={invalid ? `${id}-problems` : undefined}>
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="meta">{t('dashdesigner.filter.none')}</p> : null}
      {rows.map((r, i) => (
        <div key={i} className="dash-row" role="group" aria-label={`${legend} ${i + 1}`}>
          <label className="inline">
            <span className="visually-hidden">{t('dashdesigner.filter.field')}</span>
            <input type="text" value={r.field} list={list} aria-invalid={invalid} onChange={(e) => setRow(i, { field: e.target.value })} />
          </label>
          <label className="inline">
            <span className="visually-hidden">{t('dashdesigner.filter.op')}</span>
            <select value={r.op} onChange={(e) => setRow(i, { op: e.target.value as LeafOp })}>
              {LEAF_OPS.map((op) => (
                <option key={op} value={op}>
                  {t(`dashdesigner.filter.ops.${op}`)}
                </option>
              ))}
            </select>
          </label>
          {r.op === 'exists' ? (
            <label className="inline">
              <span className="visually-hidden">{t('dashdesigner.filter.value')}</span>
              <select value={r.value} onChange={(e) => setRow(i, { value: e.target.value })}>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            </label>
          ) : (
            <label className="inline">
              <span className="visually-hidden">{t('dashdesigner.filter.value')}</span>
              <input type="text" value={r.value} title={t('dashdesigner.filter.valueHint')} aria-invalid={invalid} onChange={(e) => setRow(i, { value: e.target.value })} />
            </label>
          )}
          <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={t('dashdesigner.filter.remove', { n: i + 1 })}>
            ×
          </button>
        </div>
      ))}
      <DashProblems id={`${id}-problems`} problems={problems} />
      <p className="dash-actions">
        <button type="button" onClick={() => setRows([...rows, { field: '', op: 'eq', value: '' }])}>
          {t('dashdesigner.filter.add')}
        </button>
        <button type="button" className="link" onClick={() => setJson(JSON.stringify(value ?? { field: '', op: 'eq', value: '' }, null, 2))}>
          {t('dashdesigner.filter.asJson')}
        </button>
      </p>
    </fieldset>
  );
}
