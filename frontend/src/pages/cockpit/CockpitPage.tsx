import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError } from '../../core/api/apiError';
import type { FilterValues } from '../../core/dashboards/dashboardQuery';
import { dashboardView } from '../../core/dashboards/dashboardView';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { DrillPanel, type DrillTarget } from './DrillPanel';
import { FilterBar } from './FilterBar';
import { WidgetTile } from './WidgetTile';

/**
 * CockpitPage draws a dashboard as tiles — KPIs as figures, the rest as the server's
 * charts with their data as a table on request — under the dashboard's filters, which
 * apply to every widget; a figure or a table row opens the records behind it.
 */
export function CockpitPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const key = useParams().key ?? '';
  const view = useLoad(() => dashboardView(api, tenant, key), [api, tenant, key]);
  const [filters, setFilters] = useState<FilterValues>({});
  const [filterError, setFilterError] = useState<unknown>();
  const [drill, setDrill] = useState<DrillTarget>();
  const lang = i18n.language;

  const apply = (next: FilterValues) => {
    setFilterError(undefined);
    setDrill(undefined);
    setFilters(next);
  };
  // A filter the server refuses is refused for every widget alike: show it once, on the filters.
  const onWidgetError = useCallback((err: unknown) => {
    if (err instanceof ApiError && err.code === 'invalid_query') setFilterError(err);
  }, []);

  const title = view.data ? localized(view.data.name, lang, t('cockpit.title')) : t('cockpit.title');

  return (
    <section className="cockpit">
      <h1>{title}</h1>
      {view.error ? <ErrorNotice error={view.error} /> : null}
      {view.loading && !view.data ? <p className="loading">{t('app.loading')}</p> : null}
      {view.data ? (
        <>
          {view.data.filters.length > 0 ? (
            <FilterBar controls={view.data.filters} applied={filters} onApply={apply} error={filterError} />
          ) : (
            <p className="notice">{t('cockpit.noFilters')}</p>
          )}
          {filterError ? <ErrorNotice error={filterError} /> : null}
          {drill ? (
            <DrillPanel dashboard={key} target={drill} filters={filters} forms={view.data.forms} onClose={() => setDrill(undefined)} />
          ) : null}
          <div className="tiles">
            {view.data.dashboard.widgets.map((w) => (
              <WidgetTile key={w} dashboard={key} widget={w} filters={filters} onDrill={setDrill} onError={onWidgetError} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
