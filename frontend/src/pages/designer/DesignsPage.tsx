import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { DefinitionTable } from '../../components/definitions/DefinitionTable';
import { listFormDefinitions, type DefinitionSummary } from '../../core/api/designerEndpoints';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * DesignsPage lists every form definition of the tenant — published, or only drafted —
 * by title, with its key, latest version, draft's state and last change, each leading
 * to the designer, and
 * offers a new form.
 */
export function DesignsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const defs = useLoad(() => listFormDefinitions(api, tenant), [api, tenant]);
  const lang = i18n.language;
  // Each form by the title of its draft or latest version, in the reader's language.
  const titleOf = (d: DefinitionSummary) => localized(d.title, lang, d.key);

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
            <Link to={`/designer/forms/${encodeURIComponent(d.key)}`} aria-label={t('designer.designForm', { form: titleOf(d) })}>
              {titleOf(d)}
            </Link>
          ),
        }}
        keyHeading={t('designer.list.key')}
        trailing={[
          {
            heading: t('automation.entries.rules'),
            cell: (d) => (d.latest > 0 ? <Link to={`/designer/rules/${encodeURIComponent(d.key)}`}>{t('automation.entries.rulesOf', { form: titleOf(d) })}</Link> : null),
          },
        ]}
        showPublished
      />
    </section>
  );
}
