import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { ApiError } from '../core/api/apiError';
import { formatDateTime } from '../core/format/formatDateTime';
import { localized } from '../core/forms/localized';
import { publishedForms } from '../core/forms/publishedForms';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session/SessionContext';

/** FormsPage lists the tenant's published forms, each leading to its records. */
export function FormsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const forms = useLoad(() => publishedForms(api, tenant), [api, tenant]);
  const lang = i18n.language;
  const forbidden = forms.error instanceof ApiError && forms.error.code === 'forbidden';

  return (
    <section>
      <h1>{t('forms.title')}</h1>
      <p className="intro">{t('forms.intro')}</p>
      {forbidden ? <p className="notice">{t('forms.cannotList')}</p> : null}
      {forms.error && !forbidden ? <ErrorNotice error={forms.error} /> : null}
      {forms.loading && !forms.data ? <p className="loading">{t('app.loading')}</p> : null}
      {forms.data && forms.data.length === 0 ? <p>{t('forms.empty')}</p> : null}
      {forms.data && forms.data.length > 0 ? (
        <ul className="form-list">
          {forms.data.map((f) => (
            <li key={f.key} className="card">
              <h2>
                <Link to={`/forms/${encodeURIComponent(f.key)}/records`}>{localized(f.title, lang, f.key)}</Link>
              </h2>
              {f.description ? <p>{localized(f.description, lang, '')}</p> : null}
              <p className="meta">
                <code>{f.key}</code> · {t('forms.version', { version: f.version })}
                {f.publishedAt ? <> · {t('forms.published', { date: formatDateTime(f.publishedAt, lang) })}</> : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
