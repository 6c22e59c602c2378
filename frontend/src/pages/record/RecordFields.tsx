import { useTranslation } from 'react-i18next';
import type { Column } from '../../core/forms/columns';
import { formatCell } from '../../core/forms/formatCell';
import { localized } from '../../core/forms/localized';
import { useCellWords } from '../../hooks/useCellWords';
import { AttachmentLinks, useRecordFiles } from './AttachmentLinks';
import { SubTableView } from './SubTableView';

/**
 * RecordFields lists a record's readable fields as label and value, in the form's
 * order; a masked value reads exactly as the server masked it, attachments are
 * download links with the files' names, and a sub-table is a small table of the
 * columns the reader may read.
 */
export function RecordFields({ columns, data }: { columns: Column[]; data: Record<string, unknown> }) {
  const { i18n } = useTranslation();
  const words = useCellWords();
  const lang = i18n.language;
  const files = useRecordFiles(columns, data);
  return (
    <dl className="fields card">
      {columns.map((c) => (
        <div key={c.name} className={c.widget === 'subtable' ? 'field-row field-table' : 'field-row'}>
          <dt title={c.name}>{localized(c.label, lang, c.name)}</dt>
          <dd>
            {c.widget === 'subtable' ? (
              <SubTableView table={c} value={data[c.name]} files={files} />
            ) : c.widget === 'attachment' ? (
              <AttachmentLinks column={c} value={data[c.name]} files={files} fallback={words.empty} />
            ) : (
              formatCell(data[c.name], c, lang, words)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
