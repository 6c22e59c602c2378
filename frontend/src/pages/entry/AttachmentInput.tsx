import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { FieldProblems } from '../../components/FieldProblems';
import { ApiError } from '../../core/api/apiError';
import type { ApiClient } from '../../core/api/client';
import { problemsAt } from '../../core/api/problemsAt';
import type { EntryField, EntryValue } from '../../core/entry/types';
import { valueKind } from '../../core/entry/valueKind';
import { useSession } from '../../session/SessionContext';
import { fileHref, recordFiles, uploadFile, type StoredFile } from './fileEndpoints';
import { formatFileSize } from './formatFileSize';

// What the server accepts (runtime/files DefaultTypes); it checks the content itself.
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,application/pdf,text/plain,.jpg,.jpeg,.png,.webp,.gif,.pdf,.txt';

// Upload refusals that have words of their own.
const UPLOAD_CODES = new Set(['file_too_large', 'file_type_not_allowed', 'empty_file', 'invalid_field']);

interface Props {
  field: EntryField;
  id: string;
  /** path is the field's JSON pointer in the record ("/documents", "/contacts/0/photo"). */
  path: string;
  /** label is the field's label with its required mark; help its help text. */
  label: string;
  help: ReactNode;
  /** value holds the file ids: one, or one per line for a list of files. */
  value: EntryValue | undefined;
  onChange: (value: EntryValue) => void;
  /** error holds the located problems, worded for the person. */
  error: unknown;
}

/**
 * AttachmentInput uploads the files a person chooses as soon as they choose them (one,
 * or several when the field holds a list), shows each by name and size with a button
 * to remove it, and places the server's refusals — of the upload or of the saved
 * record — under the field. The record keeps the files' ids; a file is attached when
 * the record is saved.
 *
 * @example
 * <AttachmentInput field={f} id="entry-documents" path="/documents" label="Documents" help={null} value={v} onChange={set} error={error} />
 */
export function AttachmentInput({ field, id, path, label, help, value, onChange, error }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const params = useParams();
  const form = params.form ?? '';
  const record = params.id;
  const multiple = valueKind(field) === 'lines';
  const ids = idsOf(value);
  const [known, setKnown] = useState<Record<string, StoredFile>>({});
  const [uploading, setUploading] = useState<string[]>([]);
  const [refused, setRefused] = useState<{ name: string; error: unknown }[]>([]);
  // The ids as of the last render, so that files uploaded one after another all stay.
  const latest = useRef(ids);
  latest.current = ids;
  const fieldPath = attachmentField(path);

  // A record being changed names files by id: read their names once.
  const hasIds = ids.length > 0;
  useEffect(() => {
    if (!record || !hasIds) return;
    let live = true;
    sharedRecordFiles(api, tenant, form, record).then(
      (files) => {
        if (!live) return;
        setKnown((k) => ({ ...Object.fromEntries(files.filter((f) => f.field === fieldPath).map((f) => [f.id, f])), ...k }));
      },
      () => undefined, // the ids stand in for the names
    );
    return () => {
      live = false;
    };
  }, [api, tenant, form, record, fieldPath, hasIds]);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(e.target.files ?? []);
    e.target.value = ''; // choosing the same file again is a new choice
    if (chosen.length === 0) return;
    setRefused([]);
    setUploading(chosen.map((f) => f.name));
    const failures: { name: string; error: unknown }[] = [];
    for (const file of multiple ? chosen : chosen.slice(0, 1)) {
      try {
        const stored = await uploadFile(api, tenant, form, fieldPath, file);
        setKnown((k) => ({ ...k, [stored.id]: stored }));
        const next = multiple ? [...latest.current, stored.id] : [stored.id];
        latest.current = next;
        onChange(next.join('\n'));
      } catch (err) {
        failures.push({ name: file.name, error: err });
      }
      setUploading((u) => u.slice(1));
    }
    setUploading([]);
    setRefused(failures);
  };

  const remove = (fileId: string) => {
    const next = ids.filter((x) => x !== fileId);
    latest.current = next;
    onChange(next.join('\n'));
  };

  const paths = [path, ...ids.map((_, i) => `${path}/${i}`)];
  const invalid = problemsAt(error, paths).length > 0 || refused.length > 0 || undefined;
  const busy = uploading.length > 0;
  const describedBy = [`${id}-hint`, busy ? `${id}-busy` : '', invalid ? `${id}-problems` : ''].filter(Boolean).join(' ');
  const say = (err: unknown): string => {
    if (err instanceof ApiError && UPLOAD_CODES.has(err.code)) {
      const limit = err.fields[0]?.params?.['limit'];
      return t(`entry.files.refused.${err.code as 'file_too_large'}`, {
        limit: typeof limit === 'number' ? formatFileSize(limit, i18n.language) : '',
      });
    }
    return t('entry.files.refused.other', { message: err instanceof Error ? err.message : String(err) });
  };

  return (
    <div className="field attachment-field">
      <label htmlFor={id}>{label}</label>
      {ids.length > 0 ? (
        <ul className="attachment-list" aria-label={t('entry.files.chosen', { field: label })}>
          {ids.map((fileId) => {
            const f = known[fileId];
            const name = f?.name ?? fileId;
            return (
              <li key={fileId}>
                {f?.record && record ? (
                  <a href={fileHref(api, tenant, form, record, fileId)} download={name}>
                    {name}
                  </a>
                ) : (
                  <span className="attachment-name">{name}</span>
                )}
                {f ? <small className="hint"> {formatFileSize(f.size, i18n.language)}</small> : null}
                <button type="button" className="link" onClick={() => remove(fileId)} aria-label={t('entry.files.remove', { name })}>
                  {t('entry.files.removeShort')}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <input
        id={id}
        name={field.name}
        type="file"
        accept={ACCEPT}
        multiple={multiple}
        disabled={busy}
        aria-busy={busy || undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(e) => void choose(e)}
      />
      <small id={`${id}-hint`} className="hint">
        {multiple ? t('entry.files.hintMany') : t('entry.files.hintOne')}
      </small>
      {busy ? (
        <p id={`${id}-busy`} className="hint" role="status">
          {t('entry.files.uploading', { name: uploading[0] })}
        </p>
      ) : null}
      {help}
      {refused.length > 0 ? (
        <ul id={`${id}-problems`} className="field-problems">
          {refused.map((r) => (
            <li key={r.name}>{t('entry.files.refusedFile', { name: r.name, reason: say(r.error) })}</li>
          ))}
        </ul>
      ) : (
        <FieldProblems id={`${id}-problems`} error={error} path={paths} />
      )}
    </div>
  );
}

// A record's files are read once for all its attachment inputs (sub-table rows have one
// each), and read again on the next visit: each read is audited.
const recentReads = new WeakMap<ApiClient, Map<string, { at: number; files: Promise<StoredFile[]> }>>();
const REUSE_MS = 5_000;

function sharedRecordFiles(api: ApiClient, tenant: string, form: string, record: string): Promise<StoredFile[]> {
  let reads = recentReads.get(api);
  if (!reads) recentReads.set(api, (reads = new Map()));
  const key = `${tenant}/${form}/${record}`;
  const hit = reads.get(key);
  if (hit && Date.now() - hit.at < REUSE_MS) return hit.files;
  const files = recordFiles(api, tenant, form, record);
  reads.set(key, { at: Date.now(), files });
  return files;
}

/** idsOf reads the file ids an input holds: one per line. */
function idsOf(value: EntryValue | undefined): string[] {
  return typeof value === 'string' ? value.split('\n').map((s) => s.trim()).filter(Boolean) : [];
}

/** attachmentField names the field a JSON pointer's files are uploaded to: "/contacts/0/photo" → "contacts.photo". */
function attachmentField(path: string): string {
  return path
    .split('/')
    .slice(1)
    .filter((s) => !/^\d+$/.test(s))
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}
