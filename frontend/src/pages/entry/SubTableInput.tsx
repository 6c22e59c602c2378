import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldProblems } from '../../components/FieldProblems';
import { problemsAt } from '../../core/api/problemsAt';
import { cellEditable } from '../../core/entry/cellEditable';
import { cellShown } from '../../core/entry/cellShown';
import { isEditable } from '../../core/entry/isEditable';
import { newRow } from '../../core/entry/newRow';
import type { EntryField, EntryRow, EntryValue } from '../../core/entry/types';
import { formatCell } from '../../core/forms/formatCell';
import { localized } from '../../core/forms/localized';
import { useCellWords } from '../../hooks/useCellWords';
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
 * SubTableInput edits a sub-table: one group of inputs per row, each cell's problems
 * under it, the table's own (too few rows) under its title. Each column has its own
 * rights: a cell the person may not change is shown read-only as it was read (and
 * sent back so), a column they may not read never appears, and a new row offers only
 * the columns they may give. Saved rows are removed only by who may read and write
 * every column, since row i of a write is row i of the stored record; rows added here
 * can always be taken out again.
 */
export function SubTableInput({ field, id, path, label, help, rows, onChange, error }: Props) {
  const { t } = useTranslation();
  const columns = field.columns ?? [];
  const setCell = (r: number, name: string, v: EntryValue) =>
    onChange(rows.map((row, i) => (i === r ? { ...row, cells: { ...row.cells, [name]: v } } : row)));
  // A new row can be saved only when every column it needs can be given in it.
  const addable = columns.some((c) => isEditable(c, 'create')) && !columns.some((c) => c.required && !isEditable(c, 'create'));
  const fixedRows = !field.removeRows && rows.some((r) => r.read);

  return (
    <fieldset className="entry-table">
      <legend>{label}</legend>
      {help}
      {fixedRows ? <p className="hint">{t('entry.table.fixedRows')}</p> : null}
      <FieldProblems id={`${id}-problems`} error={error} path={path} />
      {rows.length === 0 ? <p className="meta">{t('entry.table.empty')}</p> : null}
      {rows.map((row, r) => (
        <div key={row.id} className="entry-row" role="group" aria-label={t('entry.table.row', { n: r + 1 })}>
          {columns.map((c) =>
            cellEditable(c, row) ? (
              <EntryInput
                key={c.name}
                field={c}
                id={`${id}-${r}-${c.name}`}
                path={`${path}/${r}/${c.name}`}
                value={row.cells[c.name]}
                onChange={(v) => setCell(r, c.name, v)}
                error={error}
              />
            ) : cellShown(c, row) ? (
              <FixedCell key={c.name} column={c} id={`${id}-${r}-${c.name}`} path={`${path}/${r}/${c.name}`} value={row.read?.[c.name]} error={error} />
            ) : null,
          )}
          {field.removeRows || !row.read ? (
            <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== r))} aria-label={t('entry.table.removeRow', { n: r + 1 })}>
              ×
            </button>
          ) : null}
          <FieldProblems id={`${id}-${r}-problems`} error={error} path={`${path}/${r}`} />
        </div>
      ))}
      {addable ? (
        <button type="button" onClick={() => onChange([...rows, newRow(field)])}>
          {t('entry.table.addRow')}
        </button>
      ) : null}
    </fieldset>
  );
}

/** FixedCell shows a cell the person may not change, read-only and as it was read, with why and what the server said of it. */
function FixedCell({ column, id, path, value, error }: { column: EntryField; id: string; path: string; value: unknown; error: unknown }) {
  const { t, i18n } = useTranslation();
  const words = useCellWords();
  const lang = i18n.language;
  const text = Array.isArray(value) ? value.map((x) => formatCell(x, column, lang, words)).join(', ') : formatCell(value, column, lang, words);
  const invalid = problemsAt(error, path).length > 0;
  return (
    <div className="field entry-fixed entry-cell-fixed">
      {/* Why sits beside the label, so the read-only box lines up with the row's inputs. */}
      <div className="entry-cell-head">
        <label htmlFor={id}>{localized(column.label, lang, column.name)}</label>
        <small id={`${id}-why`} className="hint">
          {column.view === 'masked' ? t('entry.table.maskedCell') : t('entry.table.readOnlyCell')}
        </small>
      </div>
      <input
        id={id}
        type="text"
        readOnly
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-why${invalid ? ` ${id}-problems` : ''}`}
      />
      <FieldProblems id={`${id}-problems`} error={error} path={path} />
    </div>
  );
}
