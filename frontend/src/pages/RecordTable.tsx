import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormRecord } from '../core/api/types';
import type { Column } from '../core/forms/columns';
import { formatCell, type CellWords } from '../core/forms/formatCell';
import { localized } from '../core/forms/localized';

interface Props {
  columns: Column[];
  records: FormRecord[];
  locale: string;
  createdHeader: string;
  formatCreated: (iso: string) => string;
}

/** RecordTable draws records as rows, one column per field, values written for locale. */
export function RecordTable({ columns, records, locale, createdHeader, formatCreated }: Props) {
  const words = useCellWords();
  return (
    <div className="table-wrap">
      <table className="records">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} scope="col" title={c.name}>
                {localized(c.label, locale, c.name)}
              </th>
            ))}
            <th scope="col">{createdHeader}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id}>
              {columns.map((c) => (
                <td key={c.name} className={c.widget === 'money' || c.widget === 'number' ? 'num' : undefined}>
                  {formatCell(r.data[c.name], c, locale, words)}
                </td>
              ))}
              <td>{formatCreated(r.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function useCellWords(): CellWords {
  const { t, i18n } = useTranslation();
  return useMemo(
    () => ({
      yes: t('records.yes'),
      no: t('records.no'),
      empty: '—',
      rows: (count) => t('records.rows', { count }),
      decision: (d) => {
        if (d.status !== 'done') return t('records.decisionPending');
        if (d.grade) return t('records.grade', { grade: d.grade }) + (d.score !== undefined ? ` · ${d.score}` : '');
        if (d.verdict === 'pass' || d.verdict === 'review' || d.verdict === 'reject') return t(`records.verdict.${d.verdict}`);
        return t('records.decisionDone');
      },
    }),
    // The words change with the language even where t keeps its identity.
    [t, i18n.language],
  );
}
