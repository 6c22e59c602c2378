import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { chartHref, getWidget } from '../../core/api/dashboardEndpoints';
import type { WidgetData } from '../../core/api/types';
import { dashboardQuery, type FilterValues } from '../../core/dashboards/dashboardQuery';
import { formatFigure } from '../../core/format/formatFigure';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import type { DrillTarget } from './DrillPanel';
import { WidgetTable } from './WidgetTable';

interface Props {
  dashboard: string;
  widget: string;
  filters: FilterValues;
  onDrill: (target: DrillTarget) => void;
  onError: (err: unknown) => void;
}

/**
 * WidgetTile shows one widget: a KPI as its figures, each opening the records behind
 * it; any other widget as the chart the server draws, with its figures as a table on
 * request, where a row opens the records behind it.
 */
export function WidgetTile({ dashboard, widget, filters, onDrill, onError }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  // Equal filters give an equal key, so a re-render does not read the widget again.
  const filterKey = JSON.stringify(dashboardQuery(lang, filters));
  const data = useLoad(() => getWidget(api, tenant, dashboard, widget, lang, filters), [api, tenant, dashboard, widget, filterKey]);
  const [showData, setShowData] = useState(false);
  // The chart URL changes with the filters and the language; a failure is per URL.
  const src = chartHref(api, tenant, dashboard, widget, lang, filters);
  const [failedSrc, setFailedSrc] = useState<string>();
  const chartFailed = failedSrc === src;

  useEffect(() => {
    if (data.error) onError(data.error);
  }, [data.error, onError]);

  const w = data.data;
  const titleId = `widget-${widget}-title`;
  return (
    <article className={w?.type === 'kpi' ? 'tile tile-kpi card' : 'tile card'} aria-labelledby={titleId}>
      <h2 id={titleId}>{w?.title ?? widget}</h2>
      {data.error ? <ErrorNotice error={data.error} /> : null}
      {data.loading && !w ? <p className="loading">{t('app.loading')}</p> : null}
      {w && w.type === 'kpi' ? <KpiFigures data={w} onDrill={onDrill} /> : null}
      {w && w.type !== 'kpi' ? (
        <>
          {chartFailed ? (
            <p className="notice">{t('cockpit.chartFailed')}</p>
          ) : (
            <img className="chart" src={src} alt={t('cockpit.chart', { title: w.title })} loading="lazy" onError={() => setFailedSrc(src)} />
          )}
          {w.categories.length === 0 ? <p className="meta">{t('cockpit.noData')}</p> : null}
          {chartFailed ? null : (
            <button type="button" aria-expanded={showData} aria-controls={`widget-${widget}-data`} onClick={() => setShowData((s) => !s)}>
              {showData ? t('cockpit.hideData') : t('cockpit.showData')}
            </button>
          )}
          <div id={`widget-${widget}-data`} hidden={!showData && !chartFailed}>
            {showData || chartFailed ? <WidgetTable data={w} onDrill={onDrill} /> : null}
          </div>
        </>
      ) : null}
    </article>
  );
}

function KpiFigures({ data, onDrill }: { data: WidgetData; onDrill: (target: DrillTarget) => void }) {
  const { t, i18n } = useTranslation();
  const category = data.categories[0];
  return (
    <ul className="kpis">
      {data.series.map((s) => {
        const value = formatFigure(s.values[0], s.format, i18n.language, '—');
        return (
          <li key={s.id}>
            <button
              type="button"
              className="kpi"
              aria-label={t('cockpit.drillFigure', { series: s.label, value })}
              onClick={() =>
                onDrill({ widget: data.id, widgetTitle: data.title, point: { category: category?.key ?? [], series: s.id }, label: s.label })
              }
            >
              <span className="kpi-value">{value}</span>
              <span className="kpi-label">{s.label}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
