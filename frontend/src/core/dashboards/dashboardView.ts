import { ApiError } from '../api/apiError';
import type { ApiClient } from '../api/client';
import { getDashboard } from '../api/dashboardEndpoints';
import { getDefinitionVersion, listForms } from '../api/endpoints';
import type { Dashboard, DashboardDefinition, DashboardFilterDef, FormAccess, Localized } from '../api/types';
import { filterControls, type FilterControl } from './filterControls';

/** DashboardView is what the cockpit page needs before it draws a widget. */
export interface DashboardView {
  dashboard: Dashboard;
  name: Localized | undefined;
  filters: FilterControl[];
  /** forms are the caller's access to the dashboard's forms, by key: the columns of a drill-down. */
  forms: Record<string, FormAccess>;
}

/**
 * dashboardView reads a dashboard, the caller's access to its forms and its filters.
 * The filters come with the dashboard when the server sends them; otherwise from the
 * published definition, which needs the right to read definitions: without it the
 * widgets still show, unfiltered.
 */
export async function dashboardView(api: ApiClient, tenant: string, key: string): Promise<DashboardView> {
  const dashboard = await getDashboard(api, tenant, key);
  const [def, all] = await Promise.all([definitionOf(api, tenant, dashboard), listForms(api, tenant)]);
  const forms = all.filter((f) => dashboard.forms.includes(f.form));
  const defs: DashboardFilterDef[] = dashboard.filters ?? def?.filters ?? [];
  return {
    dashboard,
    name: dashboard.name ?? def?.name,
    filters: filterControls(defs, forms),
    forms: Object.fromEntries(forms.map((f) => [f.form, f])),
  };
}

async function definitionOf(api: ApiClient, tenant: string, d: Dashboard): Promise<DashboardDefinition | null> {
  if (d.filters) return null;
  try {
    return (await getDefinitionVersion<DashboardDefinition>(api, tenant, 'dashboard', d.key, d.version)).body;
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'forbidden' || err.code === 'not_found')) return null;
    throw err;
  }
}
