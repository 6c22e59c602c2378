import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadMore } from '../components/LoadMore';
import { ApiError } from '../core/api/apiError';
import { getFormAccess } from '../core/api/endpoints';
import { listFilter } from '../core/entry/listFilter';
import type { FilterRow, ListState } from '../core/entry/listTypes';
import { queryable } from '../core/entry/queryable';
import { readListState } from '../core/entry/readListState';
import { writeListState } from '../core/entry/writeListState';
import { formatDateTime } from '../core/format/formatDateTime';
import { columnsOf } from '../core/forms/columns';
import { localized } from '../core/forms/localized';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session/SessionContext';
import { ListFilters } from './entry/ListFilters';
import { MAX_LOADED, useRecordList } from './entry/useRecordList';
import { RecordTable } from './RecordTable';
import './entry/list.css';

const PAGE_SIZE = 20;
/** MAIN_COLUMNS is how many fields the list shows until the person asks for all. */
const MAIN_COLUMNS = 8;

/**
 * RecordsPage lists a form's records the caller may see: columns are the form's fields
 * they may read, headed by the labels the server gives in the current language; masked
 * values appear as the server masked them; each row leads to its record. Filters,
 * sort and the columns shown are kept in the URL; more pages load on request, or all of
 * them up to ten thousand records, drawn a window of rows at a time.
 */
export function RecordsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const form = useParams().form ?? '';
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readListState(params), [params]);
  const access = useLoad(() => getFormAccess(api, tenant, form), [api, tenant, form]);
  const lang = i18n.language;

  const filterable = useMemo(() => (access.data ? access.data.fields.filter(queryable) : []), [access.data]);
  const query = useMemo(() => listFilter(state.filters, filterable), [state.filters, filterable]);
  const list = useRecordList(api, tenant, form, { filter: query.filter, sort: state.sort }, PAGE_SIZE, access.data !== undefined);

  const columns = useMemo(() => (access.data ? columnsOf(access.data) : []), [access.data]);
  const shown = state.cols === 'all' ? columns : state.cols ? columns.filter((c) => state.cols?.includes(c.name)) : columns.slice(0, MAIN_COLUMNS);
  const sortable = useMemo(() => new Set(filterable.map((f) => f.name)), [filterable]);
  const title = localized(access.data?.title, lang, form);
  const bad = useMemo(() => badRows(state.filters, query.bad, list.error), [state.filters, query.bad, list.error]);

  const update = (patch: Partial<ListState>) => setParams(writeListState(params, { ...state, ...patch }), { replace: true });
  const sortBy = (field: string) => update({ sort: state.sort === field ? `-${field}` : field });
  const toggleColumn = (name: string, on: boolean) => {
    const current = new Set(shown.map((c) => c.name));
    if (on) current.add(name);
    else current.delete(name);
    update({ cols: columns.filter((c) => current.has(c.name)).map((c) => c.name) });
  };

  return (
    <section>
      <p className="crumbs">
        <Link to="/forms">{t('records.back')}</Link>
      </p>
      <h1>{t('records.title', { form: title })}</h1>
      {access.data?.create ? (
        <p className="toolbar">
          <Link className="button primary" to={`/forms/${encodeURIComponent(form)}/records/new`}>
            {t('entry.newRecord')}
          </Link>
        </p>
      ) : null}
      {access.error ? <ErrorNotice error={access.error} /> : null}
      {access.data?.row_scoped ? <p className="notice">{t('records.rowScoped')}</p> : null}
      {access.data && filterable.length > 0 ? (
        <details className="list-tools" open={state.filters.length > 0}>
          <summary>{t('entry.list.filters')}</summary>
          <ListFilters fields={filterable} rows={state.filters} bad={bad} onApply={(rows: FilterRow[]) => update({ filters: rows })} />
        </details>
      ) : null}
      {columns.length > 0 ? (
        <div className="toolbar columns-bar" role="group" aria-label={t('records.columns')}>
          {columns.length > MAIN_COLUMNS ? (
            <>
              <button type="button" aria-pressed={state.cols === null} onClick={() => update({ cols: null })}>
                {t('records.someColumns')}
              </button>
              <button type="button" aria-pressed={state.cols === 'all'} onClick={() => update({ cols: 'all' })}>
                {t('records.allColumns', { count: columns.length })}
              </button>
            </>
          ) : null}
          <details className="column-choice">
            <summary>{t('entry.list.chooseColumns')}</summary>
            <fieldset>
              <legend className="visually-hidden">{t('entry.list.chooseColumns')}</legend>
              {columns.map((c) => (
                <label key={c.name} className="check">
                  <input type="checkbox" checked={shown.some((s) => s.name === c.name)} onChange={(e) => toggleColumn(c.name, e.target.checked)} />
                  {localized(c.label, lang, c.name)}
                </label>
              ))}
            </fieldset>
          </details>
        </div>
      ) : null}
      {access.data ? (
        <RecordTable
          columns={shown}
          records={list.items}
          locale={lang}
          createdHeader={t('records.created')}
          formatCreated={(iso) => formatDateTime(iso, lang)}
          recordHref={(r) => `/forms/${encodeURIComponent(form)}/records/${encodeURIComponent(r.id)}`}
          caption={t('records.title', { form: title })}
          virtual
          sort={state.sort}
          sortable={sortable}
          onSort={sortBy}
        />
      ) : null}
      {list.error ? <ErrorNotice error={list.error} /> : null}
      {!list.loading && access.data && list.items.length === 0 && !list.error ? <p>{t('records.empty')}</p> : null}
      <div className="list-pager">
        <LoadMore pages={list} />
        {list.more && !list.loadingAll ? (
          <button type="button" onClick={list.loadAll} disabled={list.loading}>
            {t('entry.list.loadAll', { count: MAX_LOADED })}
          </button>
        ) : null}
        {list.loadingAll ? (
          <>
            <span className="count">{t('entry.list.loadingAll', { count: list.items.length })}</span>
            <button type="button" onClick={list.stop}>
              {t('entry.list.stopLoading')}
            </button>
          </>
        ) : null}
      </div>
      {list.capped ? <p className="notice">{t('entry.list.capped', { count: MAX_LOADED })}</p> : null}
    </section>
  );
}

/** badRows marks the conditions the browser could not use and those the server refused ("/filter/and/2/value"). */
function badRows(rows: readonly FilterRow[], unusable: readonly number[], error: unknown): Set<number> {
  const bad = new Set(unusable);
  if (!(error instanceof ApiError)) return bad;
  const used = rows.map((_, i) => i).filter((i) => !bad.has(i));
  for (const p of error.fields) {
    const m = /^\/filter(?:\/and\/(\d+))?(?:\/|$)/.exec(p.path);
    if (!m) continue;
    const row = m[1] === undefined ? used[0] : used[Number(m[1])];
    if (row !== undefined) bad.add(row);
  }
  return bad;
}
