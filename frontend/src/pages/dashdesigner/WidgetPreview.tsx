import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { chartHref, getWidget } from '../../core/api/dashboardEndpoints';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import type { JsonObject } from '../../core/dashdesigner/types';
import { formatFigure } from '../../core/format/formatFigure';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';

/**
 * WidgetPreview shows a widget as the cockpit will: the server draws the chart and
 * computes the figures of published versions only, so a widget the same as in the
 * published version is drawn (chart and data), and one changed or new shows the JSON
 * that will be saved.
 */
export function WidgetPreview({ dashboard, widget, published }: { dashboard: string; widget: JsonObject; published: { version: number; body: JsonObject } | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const id = String(widget['id'] ?? '');
  const title = localized(asObject(widget['title']) as Record<string, string>, lang, id);
  const same = published ? asList(published.body['widgets']).some((w) => JSON.stringify(w) === JSON.stringify(widget)) : false;
  return (
    <section className="widget-preview" aria-label={t('dashdesigner.preview.title', { title })}>
      {same && published ? (
        <Drawn dashboard={dashboard} id={id} title={title} kpi={widget['type'] === 'kpi'} version={published.version} />
      ) : (
        <>
          <p className="hint">{t('dashdesigner.preview.draftOnly')}</p>
          <pre className="code">{JSON.stringify(widget, null, 2)}</pre>
        </>
      )}
    </section>
  );
}

function Drawn({ dashboard, id, title, kpi, version }: { dashboard: string; id: string; title: string; kpi: boolean; version: number }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  const data = useLoad(() => getWidget(api, tenant, dashboard, id, lang, {}), [api, tenant, dashboard, id, lang]);
  return (
    <>
      <p className="hint">{kpi ? t('dashdesigner.preview.kpiNoChart') : t('dashdesigner.preview.published', { version })}</p>
      {kpi ? null : <img className="chart" src={chartHref(api, tenant, dashboard, id, lang, {})} alt={t('dashdesigner.preview.chart', { title })} />}
      {data.error ? <ErrorNotice error={data.error} /> : null}
      {data.data ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('dashdesigner.preview.data')}</caption>
            <thead>
              <tr>
                <th scope="col">{data.data.dimensions.join(' / ') || title}</th>
                {data.data.series.map((s) => (
                  <th key={s.id} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.data.categories.map((c, i) => (
                <tr key={JSON.stringify(c.key)}>
                  <th scope="row">{c.label || '—'}</th>
                  {data.data!.series.map((s) => (
                    <td key={s.id} className="num">
                      {formatFigure(s.values[i], s.format, lang, '—')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
