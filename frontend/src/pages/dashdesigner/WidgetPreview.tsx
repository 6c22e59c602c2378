import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError } from '../../core/api/apiError';
import { chartHref, getWidget, previewWidget } from '../../core/api/dashboardEndpoints';
import type { WidgetData } from '../../core/api/types';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import type { JsonObject } from '../../core/dashdesigner/types';
import { formatFigure } from '../../core/format/formatFigure';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { useDashEditor } from './DashEditorContext';

/**
 * WidgetPreview shows a widget as the cockpit will. A widget the same as in the
 * published version is drawn from it; one changed or new is figured and drawn by the
 * server from the designer's body as it stands (unsaved, a moment after the last edit),
 * under the designer's own record rights.
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
        <DraftDrawn dashboard={dashboard} id={id} title={title} kpi={widget['type'] === 'kpi'} />
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
      {data.data ? <DataTable data={data.data} title={title} /> : null}
    </>
  );
}

/** DRAFT_PAUSE is how long the designer's edits must rest before the draft is figured again. */
const DRAFT_PAUSE = 600;

function DraftDrawn({ dashboard, id, title, kpi }: { dashboard: string; id: string; title: string; kpi: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  const { body } = useDashEditor();
  const [sent, setSent] = useState(body);
  useEffect(() => {
    const timer = setTimeout(() => setSent(body), DRAFT_PAUSE);
    return () => clearTimeout(timer);
  }, [body]);
  const preview = useLoad(() => previewWidget(api, tenant, dashboard, id, lang, sent), [api, tenant, dashboard, id, lang, sent]);
  const p = preview.data;
  return (
    <>
      <p className="hint">{kpi ? t('dashdesigner.preview.kpiNoChart') : t('dashdesigner.preview.draft')}</p>
      {preview.error instanceof ApiError && preview.error.status === 422 ? <p className="hint problem">{t('dashdesigner.preview.fixFirst')}</p> : null}
      {preview.error ? <ErrorNotice error={preview.error} /> : null}
      {p && !preview.error ? (
        <>
          {kpi ? null : <img className="chart" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.svg)}`} alt={t('dashdesigner.preview.chart', { title })} />}
          <DataTable data={p.data} title={title} />
        </>
      ) : null}
    </>
  );
}

function DataTable({ data, title }: { data: WidgetData; title: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('dashdesigner.preview.data')}</caption>
        <thead>
          <tr>
            <th scope="col">{data.dimensions.join(' / ') || title}</th>
            {data.series.map((s) => (
              <th key={s.id} scope="col" className="num">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.categories.map((c, i) => (
            <tr key={JSON.stringify(c.key)}>
              <th scope="row">{c.label || '—'}</th>
              {data.series.map((s) => (
                <td key={s.id} className="num">
                  {formatFigure(s.values[i], s.format, lang, '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
