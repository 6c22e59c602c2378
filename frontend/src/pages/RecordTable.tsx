import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FormRecord } from '../core/api/types';
import type { Column } from '../core/forms/columns';
import { formatCell } from '../core/forms/formatCell';
import { localized } from '../core/forms/localized';
import { useCellWords } from '../hooks/useCellWords';

interface Props {
  columns: Column[];
  records: FormRecord[];
  locale: string;
  createdHeader: string;
  formatCreated: (iso: string) => string;
  /** recordHref, when given, makes each row's first cell a link to the record. */
  recordHref?: (r: FormRecord) => string;
  /** caption names the table for screen readers. */
  caption?: string;
}

/** RecordTable draws records as rows, one column per field, values written for locale. */
export function RecordTable({ columns, records, locale, createdHeader, formatCreated, recordHref, caption }: Props) {
  const { t } = useTranslation();
  const words = useCellWords();
  return (
    <div className="table-wrap">
      <table className="records">
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
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
              {columns.map((c, i) => {
                const text = formatCell(r.data[c.name], c, locale, words);
                const linked = recordHref && i === 0;
                return (
                  <td key={c.name} className={c.widget === 'money' || c.widget === 'number' ? 'num' : undefined}>
                    {linked ? <Link to={recordHref(r)}>{text === words.empty ? t('records.open', { id: r.id }) : text}</Link> : text}
                  </td>
                );
              })}
              <td>{formatCreated(r.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
