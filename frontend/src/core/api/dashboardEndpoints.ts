import type { FilterValues } from '../dashboards/dashboardQuery';
import { dashboardQuery } from '../dashboards/dashboardQuery';
import type { ApiClient } from './client';
import { seg } from './endpoints';
import type { Dashboard, DrillPage, WidgetData } from './types';

// The dashboard routes (server/handlers_dashboards.go). Every widget route takes the
// locale and the dashboard filters (dashboardQuery).

const widgetPath = (tenant: string, key: string, widget: string) =>
  `/t/${seg(tenant)}/dashboards/${seg(key)}/widgets/${seg(widget)}`;

export const getDashboard = (api: ApiClient, tenant: string, key: string) =>
  api.get<Dashboard>(`/t/${seg(tenant)}/dashboards/${seg(key)}`);

export const getWidget = (api: ApiClient, tenant: string, key: string, widget: string, locale: string, filters: FilterValues) =>
  api.get<WidgetData>(widgetPath(tenant, key, widget), dashboardQuery(locale, filters));

/** chartHref is the URL of a widget's chart drawn by the server, for an <img>. */
export const chartHref = (api: ApiClient, tenant: string, key: string, widget: string, locale: string, filters: FilterValues) =>
  api.href(`${widgetPath(tenant, key, widget)}/chart.svg`, dashboardQuery(locale, filters));

/** WidgetPreview is a widget of an unsaved dashboard body, figured and drawn by the server. */
export interface WidgetPreview {
  data: WidgetData;
  /** svg is the chart as SVG text. */
  svg: string;
}

/** previewWidget figures and draws widget of the dashboard body as it stands in the designer; nothing is saved. */
export const previewWidget = (api: ApiClient, tenant: string, key: string, widget: string, locale: string, body: unknown) =>
  api.post<WidgetPreview>(`/t/${seg(tenant)}/dashboards/${seg(key)}/preview/widgets/${seg(widget)}`, body, dashboardQuery(locale, {}));

/** DrillPoint names the figure clicked: its category's key and the series. */
export interface DrillPoint {
  category: unknown[];
  series: string;
}

/** drill lists a page of the records behind one figure, through the ordinary record list. */
export async function drill(
  api: ApiClient,
  tenant: string,
  key: string,
  widget: string,
  point: DrillPoint,
  opts: { locale: string; filters: FilterValues; limit: number; cursor?: string | undefined },
): Promise<DrillPage> {
  const page = await api.get<DrillPage>(`${widgetPath(tenant, key, widget)}/drill`, {
    ...dashboardQuery(opts.locale, opts.filters),
    category: JSON.stringify(point.category),
    series: point.series,
    limit: opts.limit,
    cursor: opts.cursor,
  });
  return { ...page, records: page.records ?? [] };
}
