import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { getImport, importRejects, rejectsCsvHref, type ImportJob } from '../../core/api/adminEndpoints';
import type { FieldAccess } from '../../core/api/types';
import { formatNumber } from '../../core/format/formatNumber';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { AdminError } from './AdminNotices';

/** POLL_MS is how often a running import is asked for its progress. */
const POLL_MS = 700;

const finished = (j: ImportJob) => j.status === 'done' || j.status === 'failed' || j.status === 'interrupted';

/**
 * ImportProgress follows an import job until it ends (percentage, rows read, rows per
 * second), then says what became of the rows and lists the rejected ones: row, column,
 * field and reason, with the report to download as CSV.
 */
export function ImportProgress({ tenant, initial, fields }: { tenant: string; initial: ImportJob; fields: FieldAccess[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [job, setJob] = useState(initial);
  const [error, setError] = useState<unknown>();
  const lang = i18n.language;

  useEffect(() => {
    if (finished(job)) return;
    let live = true;
    const timer = setTimeout(() => {
      getImport(api, tenant, job.form, job.id).then(
        (j) => live && setJob(j),
        (err: unknown) => live && setError(err),
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, tenant, job]);

  const done = finished(job);
  const percent = Math.round(job.progress.percent);
  return (
    <div className="card admin-card import-progress">
      <h2>{t('admin.imports.jobTitle', { file: job.file_name || job.id })}</h2>
      {error ? <AdminError error={error} /> : null}
      <label htmlFor="import-progress">{t(`admin.imports.status.${job.status}`)}</label>
      <progress id="import-progress" max={100} value={percent} aria-valuetext={`${percent}%`} />
      <p role="status">
        {t('admin.imports.progress', {
          percent,
          rows: formatNumber(job.progress.rows, lang),
          speed: formatNumber(job.progress.rows_per_second, lang, 0),
        })}
      </p>
      {job.error ? (
        <p role="alert" className="notice notice-error">
          {t('admin.imports.stopped', { message: job.error.message })}
        </p>
      ) : null}
      {done ? <ImportReport tenant={tenant} job={job} fields={fields} /> : null}
    </div>
  );
}

function ImportReport({ tenant, job, fields }: { tenant: string; job: ImportJob; fields: FieldAccess[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const rejects = useLoad(
    () => (job.counts.rejected > 0 ? importRejects(api, tenant, job.form, job.id) : Promise.resolve(null)),
    [api, tenant, job.form, job.id, job.counts.rejected],
  );
  const lang = i18n.language;
  const label = (field: string | undefined) =>
    field ? localized(fields.find((f) => f.name === field)?.label, lang, field) : '—';
  return (
    <>
      <ul className="import-counts">
        <li>{t('admin.imports.accepted', { count: job.counts.accepted })}</li>
        <li>{t('admin.imports.rejected', { count: job.counts.rejected })}</li>
        <li>{t('admin.imports.duplicates', { count: job.counts.duplicates })}</li>
      </ul>
      {rejects.error ? <AdminError error={rejects.error} /> : null}
      {rejects.data && rejects.data.rejects.length > 0 ? (
        <>
          <div className="table-wrap">
            <table aria-label={t('admin.imports.rejectsTitle')}>
              <thead>
                <tr>
                  <th scope="col">{t('admin.imports.row')}</th>
                  <th scope="col">{t('admin.imports.column')}</th>
                  <th scope="col">{t('admin.imports.field')}</th>
                  <th scope="col">{t('admin.imports.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rejects.data.rejects.map((r, i) => (
                  <tr key={`${r.row}-${r.column ?? ''}-${i}`}>
                    <td className="num">{r.row}</td>
                    <td>{r.column || '—'}</td>
                    <td>{label(r.field)}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rejects.data.truncated ? <p className="notice">{t('admin.imports.truncated')}</p> : null}
          <p>
            <a href={rejectsCsvHref(api, tenant, job.form, job.id)} download>
              {t('admin.imports.download')}
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
