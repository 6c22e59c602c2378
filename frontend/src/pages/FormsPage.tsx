import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { listForms } from '../core/api/endpoints';
import type { FormAccess } from '../core/api/types';
import { localized } from '../core/forms/localized';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session/SessionContext';
import { useCanDesign } from './designer/useCanDesign';

/**
 * FormsPage lists the forms the person may read or fill in, whatever their role: each
 * titled in the current language, with what they may do on it, leading to its records.
 */
export function FormsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const forms = useLoad(() => listForms(api, tenant), [api, tenant]);
  const lang = i18n.language;
  // Those who may edit definitions get the designer's entries: a new form, and each form's design.
  const canDesign = useCanDesign();

  return (
    <section>
      <h1>{t('forms.title')}</h1>
      <p className="intro">{t('forms.intro')}</p>
      {canDesign ? (
        <p className="toolbar">
          <Link to="/designer/new">{t('designer.newForm')}</Link>
          <Link to="/designer/forms">{t('designer.designs')}</Link>
          <Link to="/designer/dashboards">{t('dashdesigner.nav')}</Link>
        </p>
      ) : null}
      {forms.error ? <ErrorNotice error={forms.error} /> : null}
      {forms.loading && !forms.data ? <p className="loading">{t('app.loading')}</p> : null}
      {forms.data && forms.data.length === 0 ? <p>{t('forms.empty')}</p> : null}
      {forms.data && forms.data.length > 0 ? (
        <ul className="form-list">
          {forms.data.map((f) => (
            <li key={f.form} className="card">
              <h2>
                {f.read ? (
                  <Link to={`/forms/${encodeURIComponent(f.form)}/records`}>{localized(f.title, lang, f.form)}</Link>
                ) : (
                  localized(f.title, lang, f.form)
                )}
              </h2>
              <p className="meta">
                <code>{f.form}</code> · {t('forms.version', { version: f.version })} ·{' '}
                {t('forms.fields', { count: f.fields.filter((x) => x.view !== 'none').length })}
              </p>
              <p className="meta">
                {t('forms.rights')} {rightsOf(f).map((r) => t(`forms.right.${r}`)).join(' · ')}
                {f.row_scoped ? ` (${t('forms.rowScoped')})` : null}
              </p>
              {f.create ? (
                <p>
                  <Link to={`/forms/${encodeURIComponent(f.form)}/records/new`}>{t('entry.newRecordIn', { form: localized(f.title, lang, f.form) })}</Link>
                </p>
              ) : null}
              {canDesign ? (
                <p>
                  <Link to={`/designer/forms/${encodeURIComponent(f.form)}`}>{t('designer.designForm', { form: localized(f.title, lang, f.form) })}</Link>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function rightsOf(f: FormAccess): Array<'read' | 'create' | 'update' | 'export'> {
  return (['read', 'create', 'update', 'export'] as const).filter((r) => f[r]);
}
