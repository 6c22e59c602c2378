import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError } from '../../core/api/apiError';
import { chartHref, getWidget, previewWidget } from '../../core/api/dashboardEndpoints';
import { asList } from '../../core/dashdesigner/asList';
import { asObject } from '../../core/dashdesigner/asObject';
import type { JsonObject } from '../../core/dashdesigner/types';
import { localized } from '../../core/forms/localized';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { WidgetTable } from '../cockpit/WidgetTable';
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
      {data.data ? <WidgetTable data={data.data} /> : null}
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
          <WidgetTable data={p.data} />
        </>
      ) : null}
    </>
  );
}
