import { useTranslation } from 'react-i18next';
import type { Column } from '../../core/forms/columns';
import { formatCell } from '../../core/forms/formatCell';
import { localized } from '../../core/forms/localized';
import { useCellWords } from '../../hooks/useCellWords';
import type { StoredFile } from '../entry/fileEndpoints';
import { AttachmentLinks } from './AttachmentLinks';
import './subtable.css';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * SubTableView shows a sub-table's rows as a small table: the columns the reader may
 * read as headers (the server sends no others), values as every record cell writes
 * them (masked ones exactly as sent), attachments as download links, empty cells as
 * the usual empty word. Without known columns it says how many rows there are.
 *
 * @example
 * <SubTableView table={column} value={record.data.emergency_contacts} files={files} />
 */
export function SubTableView({ table, value, files }: { table: Column; value: unknown; files: StoredFile[] }) {
  const { i18n } = useTranslation();
  const words = useCellWords();
  const lang = i18n.language;
  const rows = Array.isArray(value) ? value : [];
  const columns = table.columns ?? [];
  if (rows.length === 0) return <>{words.empty}</>;
  if (columns.length === 0) return <>{formatCell(rows, table, lang, words)}</>;
  return (
    <div className="table-wrap subtable-wrap">
      <table className="subtable" aria-label={localized(table.label, lang, table.name)}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.name} title={`${table.name}.${c.name}`}>
                {localized(c.label, lang, c.name)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const data = isObj(row) ? row : {};
            return (
              // Rows have no identity of their own: their place is their key.
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.name} className="wrap">
                    {c.widget === 'attachment' ? (
                      // A column's files are kept under "table.column" (runtime/form AttachmentRef).
                      <AttachmentLinks column={{ ...c, name: `${table.name}.${c.name}` }} value={data[c.name]} files={files} fallback={words.empty} />
                    ) : Array.isArray(data[c.name]) ? (
                      (data[c.name] as unknown[]).map((x) => formatCell(x, c, lang, words)).join(', ') || words.empty
                    ) : (
                      formatCell(data[c.name], c, lang, words)
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
