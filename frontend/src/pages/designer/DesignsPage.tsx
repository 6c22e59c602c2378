import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { listFormDefinitions } from '../../core/api/designerEndpoints';
import { listForms } from '../../core/api/endpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * DesignsPage lists every form definition of the tenant — published, or only drafted —
 * with its latest version and its draft's state, each leading to the designer, and
 * offers a new form.
 */
export function DesignsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const defs = useLoad(() => listFormDefinitions(api, tenant), [api, tenant]);
  // Titles come with the published forms; a draft never published shows its key.
  const forms = useLoad(() => listForms(api, tenant).catch(() => []), [api, tenant]);
  const lang = i18n.language;
  const titles = new Map((forms.data ?? []).map((f) => [f.form, localized(f.title, lang, f.form)]));

  return (
    <section>
      <p className="crumbs">
        <Link to="/forms">{t('designer.forms')}</Link>
      </p>
      <h1>{t('designer.designs')}</h1>
      <p className="intro">{t('designer.designsIntro')}</p>
      <p>
        <Link to="/designer/new" className="button primary">
          {t('designer.newForm')}
        </Link>{' '}
        <Link to="/designer/flows" className="button">
          {t('automation.entries.flows')}
        </Link>{' '}
        <Link to="/designer/rules" className="button">
          {t('automation.entries.rules')}
        </Link>
      </p>
      {defs.error ? <ErrorNotice error={defs.error} /> : null}
      {defs.loading && !defs.data ? <p className="loading">{t('app.loading')}</p> : null}
      {defs.data && defs.data.length === 0 ? <p>{t('designer.list.empty')}</p> : null}
      {defs.data && defs.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('designer.list.title')}</th>
                <th scope="col">{t('designer.list.key')}</th>
                <th scope="col">{t('designer.list.latest')}</th>
                <th scope="col">{t('designer.list.draft')}</th>
                <th scope="col">{t('automation.entries.rules')}</th>
              </tr>
            </thead>
            <tbody>
              {defs.data.map((d) => {
                const title = titles.get(d.key) ?? d.key;
                return (
                  <tr key={d.key}>
                    <th scope="row">
                      <Link to={`/designer/forms/${encodeURIComponent(d.key)}`} aria-label={t('designer.designForm', { form: title })}>
                        {title}
                      </Link>
                    </th>
                    <td>
                      <code>{d.key}</code>
                    </td>
                    <td>
                      {d.latest > 0 ? t('designer.list.version', { version: d.latest }) : t('designer.list.notPublished')}
                      {d.published_at ? <span className="meta"> · {formatDateTime(d.published_at, lang)}</span> : null}
                    </td>
                    <td>
                      {t(`designer.list.draftStatus.${d.draft}`)}
                      {d.draft !== 'none' && !d.draft_valid ? <span className="problem"> · {t('designer.list.draftInvalid')}</span> : null}
                    </td>
                    <td>{d.latest > 0 ? <Link to={`/designer/rules/${encodeURIComponent(d.key)}`}>{t('automation.entries.rulesOf', { form: title })}</Link> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
