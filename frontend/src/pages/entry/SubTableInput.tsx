import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldProblems } from '../../components/FieldProblems';
import { newRowId } from '../../core/entry/newRowId';
import { toEntryValue } from '../../core/entry/toEntryValue';
import type { EntryField, EntryRow, EntryValue } from '../../core/entry/types';
import { EntryInput } from './EntryInput';

interface Props {
  field: EntryField;
  id: string;
  path: string;
  label: string;
  help: ReactNode;
  rows: EntryRow[];
  onChange: (rows: EntryRow[]) => void;
  error: unknown;
}

/**
 * SubTableInput edits a sub-table: one group of inputs per row, rows added and removed,
 * each cell's problems under it, the table's own (too few rows) under its title.
 */
export function SubTableInput({ field, id, path, label, help, rows, onChange, error }: Props) {
  const { t } = useTranslation();
  const columns = field.columns ?? [];
  const setCell = (r: number, name: string, v: EntryValue) =>
    onChange(rows.map((row, i) => (i === r ? { ...row, cells: { ...row.cells, [name]: v } } : row)));
  const addRow = () => {
    const cells: EntryRow['cells'] = {};
    for (const c of columns) cells[c.name] = toEntryValue(undefined, c);
    onChange([...rows, { id: newRowId(), cells }]);
  };

  return (
    <fieldset className="entry-table">
      <legend>{label}</legend>
      {help}
      <FieldProblems id={`${id}-problems`} error={error} path={path} />
      {rows.length === 0 ? <p className="meta">{t('entry.table.empty')}</p> : null}
      {rows.map((row, r) => (
        <div key={row.id} className="entry-row" role="group" aria-label={t('entry.table.row', { n: r + 1 })}>
          {columns.map((c) => (
            <EntryInput
              key={c.name}
              field={c}
              id={`${id}-${r}-${c.name}`}
              path={`${path}/${r}/${c.name}`}
              value={row.cells[c.name]}
              onChange={(v) => setCell(r, c.name, v)}
              error={error}
            />
          ))}
          <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== r))} aria-label={t('entry.table.removeRow', { n: r + 1 })}>
            ×
          </button>
          <FieldProblems id={`${id}-${r}-problems`} error={error} path={`${path}/${r}`} />
        </div>
      ))}
      <button type="button" onClick={addRow}>
        {t('entry.table.addRow')}
      </button>
    </fieldset>
  );
}
