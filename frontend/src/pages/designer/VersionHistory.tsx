import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { PublishedVersion } from '../../core/api/designerEndpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import type { Load } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * VersionHistory lists a form's published versions, newest first: when and by whom,
 * the note, which earlier version a rollback published again. Any earlier version can
 * be opened in the designer or rolled back to (after confirmation).
 */
export function VersionHistory({
  versions,
  busy,
  onOpen,
  onRollback,
}: {
  versions: Load<PublishedVersion[]>;
  busy: boolean;
  onOpen: (version: number) => void;
  onRollback: (version: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  const list = [...(versions.data ?? [])].reverse();
  const current = list[0]?.version;
  return (
    <section className="designer-versions card" aria-labelledby="designer-versions-title">
      <h2 id="designer-versions-title">{t('designer.versions.title')}</h2>
      {versions.error ? <ErrorNotice error={versions.error} /> : null}
      {versions.data && list.length === 0 ? <p>{t('designer.versions.empty')}</p> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="designer-versions-title">
            <thead>
              <tr>
                <th scope="col">{t('designer.versions.version')}</th>
                <th scope="col">{t('designer.versions.published')}</th>
                <th scope="col">{t('designer.versions.by')}</th>
                <th scope="col">{t('designer.versions.note')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('designer.toolbar.label')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.version}>
                  <th scope="row">
                    {v.version}
                    {v.version === current ? ` (${t('designer.versions.current')})` : ''}
                    {v.rollback_of ? <span className="meta"> · {t('designer.versions.rollbackOf', { version: v.rollback_of })}</span> : null}
                  </th>
                  <td>{formatDateTime(v.published_at, i18n.language)}</td>
                  <td>{v.author === me ? t('designer.versions.you') : v.author}</td>
                  <td className="wrap">{v.note}</td>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(v.version)} disabled={busy}>
                      {t('designer.versions.open', { version: v.version })}
                    </button>
                    {v.version !== current ? (
                      <>
                        {' · '}
                        <button type="button" className="link" onClick={() => onRollback(v.version)} disabled={busy}>
                          {t('designer.versions.rollback', { version: v.version })}
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
