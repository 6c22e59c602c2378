import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatDateTime } from '../core/format/formatDateTime';
import { columnsOf } from '../core/forms/columns';
import { formView } from '../core/forms/formView';
import { localized } from '../core/forms/localized';
import { useLoad } from '../hooks/useLoad';
import { useRecordPages } from '../hooks/useRecordPages';
import { useSession } from '../session/SessionContext';
import { RecordTable } from './RecordTable';

const PAGE_SIZE = 20;
/** MAIN_COLUMNS is how many fields the list shows until the person asks for all. */
const MAIN_COLUMNS = 8;

/**
 * RecordsPage lists a form's records the caller may see: columns are the form's fields
 * they may read, headed by the labels in the current language; masked values appear as
 * the server masked them; more pages load on request.
 */
export function RecordsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const form = useParams().form ?? '';
  const view = useLoad(() => formView(api, tenant, form), [api, tenant, form]);
  const pages = useRecordPages(api, tenant, form, PAGE_SIZE);
  const [allColumns, setAllColumns] = useState(false);
  const lang = i18n.language;

  const columns = useMemo(() => (view.data ? columnsOf(view.data.definition, view.data.access) : []), [view.data]);
  const shown = allColumns ? columns : columns.slice(0, MAIN_COLUMNS);
  const title = localized(view.data?.definition?.title, lang, form);

  return (
    <section>
      <p className="crumbs">
        <Link to="/forms">{t('records.back')}</Link>
      </p>
      <h1>{t('records.title', { form: title })}</h1>
      {view.error ? <ErrorNotice error={view.error} /> : null}
      {view.data?.access.row_scoped ? <p className="notice">{t('records.rowScoped')}</p> : null}
      {view.data && !view.data.definition ? <p className="notice">{t('records.noLabels')}</p> : null}
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
      {view.data ? (
        <RecordTable
          columns={shown}
          records={pages.records}
          locale={lang}
          createdHeader={t('records.created')}
          formatCreated={(iso) => formatDateTime(iso, lang)}
        />
      ) : null}
      {pages.error ? <ErrorNotice error={pages.error} /> : null}
      {!pages.loading && view.data && pages.records.length === 0 && !pages.error ? <p>{t('records.empty')}</p> : null}
      <div className="pager">
        {pages.records.length > 0 ? (
          <span className="count" role="status">
            {pages.more ? t('records.shown', { count: pages.records.length }) : t('records.allShown', { count: pages.records.length })}
          </span>
        ) : null}
        {pages.more ? (
          <button type="button" onClick={pages.loadMore} disabled={pages.loading}>
            {pages.loading ? t('records.loadingMore') : t('records.loadMore')}
          </button>
        ) : null}
        {pages.loading && pages.records.length === 0 ? <span className="loading">{t('app.loading')}</span> : null}
      </div>
    </section>
  );
}
