import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import type { Load } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * DashVersions lists a dashboard's published versions, newest first, each to open in the
 * designer or (after confirmation) to publish again as the newest.
 */
export function DashVersions({ versions, busy, onOpen, onRollback }: { versions: Load<PublishedVersion[]>; busy: boolean; onOpen: (v: number) => void; onRollback: (v: number) => void }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  const list = [...(versions.data ?? [])].reverse();
  const current = list[0]?.version;
  return (
    <section className="card dash-versions" aria-labelledby="dash-versions-title">
      <h2 id="dash-versions-title">{t('dashdesigner.versions.title')}</h2>
      {versions.error ? <ErrorNotice error={versions.error} /> : null}
      {versions.data && list.length === 0 ? <p>{t('dashdesigner.versions.empty')}</p> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="dash-versions-title">
            <thead>
              <tr>
                <th scope="col">{t('dashdesigner.versions.version')}</th>
                <th scope="col">{t('dashdesigner.versions.published')}</th>
                <th scope="col">{t('dashdesigner.versions.by')}</th>
                <th scope="col">{t('dashdesigner.versions.note')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('dashdesigner.toolbar.label')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    {v.version}
                    {v.version === current ? ` (${t('dashdesigner.versions.current')})` : ''}
                    {v.rollback_of ? <span className="meta"> · {t('dashdesigner.versions.rollbackOf', { version: v.rollback_of })}</span> : null}
                  </th>
                  <td>{formatDateTime(v.published_at, i18n.language)}</td>
                  <td>{v.author === me ? t('dashdesigner.versions.you') : v.author}</td>
                  <td className="wrap">{v.note}</td>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(v.version)} disabled={busy}>
                      {t('dashdesigner.versions.open', { version: v.version })}
                    </button>
                    {v.version !== current ? (
                      <>
                        {' · '}
                        <button type="button" className="link" onClick={() => onRollback(v.version)} disabled={busy}>
                          {t('dashdesigner.versions.rollback', { version: v.version })}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
