import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { getFormAccess } from '../core/api/endpoints';
import { formatDateTime } from '../core/format/formatDateTime';
import { columnsOf } from '../core/forms/columns';
import { localized } from '../core/forms/localized';
import { useLoad } from '../hooks/useLoad';
import { useRecordPages } from '../hooks/useRecordPages';
import { useSession } from '../session/SessionContext';
import { LoadMore } from '../components/LoadMore';
import { RecordTable } from './RecordTable';

const PAGE_SIZE = 20;
/** MAIN_COLUMNS is how many fields the list shows until the person asks for all. */
const MAIN_COLUMNS = 8;

/**
 * RecordsPage lists a form's records the caller may see: columns are the form's fields
 * they may read, headed by the labels the server gives in the current language; masked
 * values appear as the server masked them; each row leads to its record; more pages
 * load on request.
 */
export function RecordsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const form = useParams().form ?? '';
  const access = useLoad(() => getFormAccess(api, tenant, form), [api, tenant, form]);
  const pages = useRecordPages(api, tenant, form, PAGE_SIZE);
  const [allColumns, setAllColumns] = useState(false);
  const lang = i18n.language;

  const columns = useMemo(() => (access.data ? columnsOf(access.data) : []), [access.data]);
  const shown = allColumns ? columns : columns.slice(0, MAIN_COLUMNS);
  const title = localized(access.data?.title, lang, form);

  return (
    <section>
      <p className="crumbs">
        <Link to="/forms">{t('records.back')}</Link>
      </p>
      <h1>{t('records.title', { form: title })}</h1>
      {access.error ? <ErrorNotice error={access.error} /> : null}
      {access.data?.row_scoped ? <p className="notice">{t('records.rowScoped')}</p> : null}
      {columns.length > MAIN_COLUMNS ? (
        <div className="toolbar" role="group" aria-label={t('records.columns')}>
          <button type="button" aria-pressed={!allColumns} onClick={() => setAllColumns(false)}>
            {t('records.someColumns')}
          </button>
          <button type="button" aria-pressed={allColumns} onClick={() => setAllColumns(true)}>
            {t('records.allColumns', { count: columns.length })}
          </button>
        </div>
      ) : null}
      {access.data ? (
        <RecordTable
          columns={shown}
          records={pages.items}
          locale={lang}
          createdHeader={t('records.created')}
          formatCreated={(iso) => formatDateTime(iso, lang)}
          recordHref={(r) => `/forms/${encodeURIComponent(form)}/records/${encodeURIComponent(r.id)}`}
        />
      ) : null}
      {pages.error ? <ErrorNotice error={pages.error} /> : null}
      {!pages.loading && access.data && pages.items.length === 0 && !pages.error ? <p>{t('records.empty')}</p> : null}
      <LoadMore pages={pages} />
    </section>
  );
}
