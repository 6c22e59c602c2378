import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import type { Column } from '../../core/forms/columns';
import { localized } from '../../core/forms/localized';
import { useSession } from '../../session/SessionContext';
import { fileHref, recordFiles, type StoredFile } from '../entry/fileEndpoints';
import { formatFileSize } from '../entry/formatFileSize';
import './attachments.css';

/**
 * useRecordFiles reads the files the record of the current page holds, once, when one
 * of its attachment fields (or a sub-table's attachment columns) has a value (reading
 * them is audited, so a record without files costs nothing). The server lists only the fields the person reads in full.
 *
 * @example
 * const files = useRecordFiles(columns, record.data);
 */
export function useRecordFiles(columns: Column[], data: Record<string, unknown>): StoredFile[] {
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const { form = '', id = '' } = useParams();
  const [files, setFiles] = useState<StoredFile[]>([]);
  const wanted = columns.some((c) => (c.widget === 'attachment' && hasValue(data[c.name])) || (c.widget === 'subtable' && tableHasFiles(c, data[c.name])));
  useEffect(() => {
    if (!wanted || !id) return;
    let live = true;
    recordFiles(api, tenant, form, id).then(
      (f) => {
        if (live) setFiles(f);
      },
      () => undefined, // without names the ids are shown as they are
    );
    return () => {
      live = false;
    };
  }, [api, tenant, form, id, wanted]);
  return files;
}

/**
 * AttachmentLinks shows an attachment field's value: each file the record holds as a
 * download link with its name and size; a value that names no file the person may
 * download (masked, or written before files were kept) as the server sent it.
 *
 * @example
 * <AttachmentLinks column={c} value={data[c.name]} files={files} fallback="—" />
 */
export function AttachmentLinks({ column, value, files, fallback }: { column: Column; value: unknown; files: StoredFile[]; fallback: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const { form = '', id = '' } = useParams();
  const ids = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' && value ? [value] : [];
  const byId = new Map(files.filter((f) => f.field === column.name).map((f) => [f.id, f]));
  if (ids.length === 0) return <>{fallback}</>;
  if (!ids.some((x) => byId.has(x))) return <>{ids.join(', ')}</>;
  return (
    <ul className="attachment-links" aria-label={t('entry.files.chosen', { field: localized(column.label, i18n.language, column.name) })}>
      {ids.map((fileId) => {
        const f = byId.get(fileId);
        return (
          <li key={fileId}>
            {f ? (
              <>
                <a href={fileHref(api, tenant, form, id, fileId)} download={f.name}>
                  {f.name}
                </a>{' '}
                <small className="hint">{formatFileSize(f.size, i18n.language)}</small>
              </>
            ) : (
              fileId
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** tableHasFiles tells whether a sub-table's attachment columns hold a file in some row. */
function tableHasFiles(table: Column, rows: unknown): boolean {
  const files = (table.columns ?? []).filter((c) => c.widget === 'attachment');
  if (files.length === 0 || !Array.isArray(rows)) return false;
  return rows.some((r) => typeof r === 'object' && r !== null && files.some((c) => hasValue((r as Record<string, unknown>)[c.name])));
}

function hasValue(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v !== '';
}
