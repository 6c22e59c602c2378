import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { listDefinitions } from '../../core/api/automationEndpoints';
import { listForms } from '../../core/api/endpoints';
import { formatDateTime } from '../../core/format/formatDateTime';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * RuleSetsPage lists the published forms with their rule set (saved under the form's
 * key): its latest version and draft state, each leading to the rule editor; a form with
 * no rules yet starts one there.
 */
export function RuleSetsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const sets = useLoad(() => listDefinitions(api, tenant, 'rule'), [api, tenant]);
  const error = forms.error ?? sets.error;
  return (
    <section>
      <p className="crumbs">
        <Link to="/designer/forms">{t('automation.flows.designs')}</Link>
      </p>
      <h1>{t('automation.rules.list')}</h1>
      <p className="intro">{t('automation.rules.listIntro')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      {!forms.data || !sets.data ? (
        error ? null : <p className="loading">{t('app.loading')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('automation.rules.columns.form')}</th>
                <th scope="col">{t('automation.rules.columns.latest')}</th>
                <th scope="col">{t('automation.rules.columns.draft')}</th>
              </tr>
            </thead>
            <tbody>
              {forms.data.map((f) => {
                const title = localized(f.title, lang, f.form);
                const d = sets.data?.find((s) => s.key === f.form);
                return (
                  <tr key={f.form}>
                    <th scope="row">
                      <Link to={`/designer/rules/${encodeURIComponent(f.form)}`} aria-label={t('automation.rules.open', { form: title })}>
                        {title}
                      </Link>
                    </th>
                    <td>
                      {!d ? t('automation.rules.none') : d.latest > 0 ? t('designer.list.version', { version: d.latest }) : t('designer.list.notPublished')}
                      {d?.published_at ? <span className="meta"> · {formatDateTime(d.published_at, lang)}</span> : null}
                    </td>
                    <td>
                      {d ? t(`designer.list.draftStatus.${d.draft}`) : ''}
                      {d && d.draft !== 'none' && !d.draft_valid ? <span className="problem"> · {t('designer.list.draftInvalid')}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
