import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { DefinitionTable } from '../../components/definitions/DefinitionTable';
import { listFormDefinitions } from '../../core/api/designerEndpoints';
import { listForms } from '../../core/api/endpoints';
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
  const titleOf = (key: string) => titles.get(key) ?? key;

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
      <DefinitionTable
        rows={defs}
        words="designer"
        empty={t('designer.list.empty')}
        name={{
          heading: t('designer.list.title'),
          cell: (d) => (
            <Link to={`/designer/forms/${encodeURIComponent(d.key)}`} aria-label={t('designer.designForm', { form: titleOf(d.key) })}>
              {titleOf(d.key)}
            </Link>
          ),
        }}
        keyHeading={t('designer.list.key')}
        trailing={[
          {
            heading: t('automation.entries.rules'),
            cell: (d) => (d.latest > 0 ? <Link to={`/designer/rules/${encodeURIComponent(d.key)}`}>{t('automation.entries.rulesOf', { form: titleOf(d.key) })}</Link> : null),
          },
        ]}
        showPublished
      />
    </section>
  );
}
