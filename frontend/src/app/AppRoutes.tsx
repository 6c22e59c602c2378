import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, type Params } from 'react-router';
import { FormsPage } from '../pages/FormsPage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RecordPage } from '../pages/RecordPage';
import { RecordsPage } from '../pages/RecordsPage';
import { TenantsPage } from '../pages/TenantsPage';
import { canDo } from '../core/can/canDo';
import { mayUse } from '../core/can/mayUse';
import type { Principal } from '../core/api/types';
import { HomeRedirect, RequireCan, RequireRole, RequireSession } from './guards';
import { Layout } from './Layout';

// The inbox and the cockpit load on first visit, keeping the first page's script small.
const TasksPage = lazy(() => import('../pages/tasks/TasksPage').then((m) => ({ default: m.TasksPage })));
const CockpitPage = lazy(() => import('../pages/cockpit/CockpitPage').then((m) => ({ default: m.CockpitPage })));
// The form designer (and drag and drop with it) loads only for those who open it.
const DesignerPage = lazy(() => import('../pages/designer/DesignerPage').then((m) => ({ default: m.DesignerPage })));
const DesignsPage = lazy(() => import('../pages/designer/DesignsPage').then((m) => ({ default: m.DesignsPage })));
const NewFormPage = lazy(() => import('../pages/designer/NewFormPage').then((m) => ({ default: m.NewFormPage })));
// The flow designer (with its node canvas) and the rule editor load only for those who open them.
const FlowsPage = lazy(() => import('../pages/flowdesigner/FlowsPage').then((m) => ({ default: m.FlowsPage })));
const FlowDesignerPage = lazy(() => import('../pages/flowdesigner/FlowDesignerPage').then((m) => ({ default: m.FlowDesignerPage })));
const RuleSetsPage = lazy(() => import('../pages/rules/RuleSetsPage').then((m) => ({ default: m.RuleSetsPage })));
const RulesPage = lazy(() => import('../pages/rules/RulesPage').then((m) => ({ default: m.RulesPage })));
const AdminPages = lazy(() => import('../pages/admin/AdminPages').then((m) => ({ default: m.AdminPages })));
// Record entry brings the schema validator with it; the dashboard designer is for the few who edit definitions.
const RecordEntryPage = lazy(() => import('../pages/entry/RecordEntryPage').then((m) => ({ default: m.RecordEntryPage })));
const DashboardsPage = lazy(() => import('../pages/dashdesigner/DashboardsPage').then((m) => ({ default: m.DashboardsPage })));
const DashboardDesignerPage = lazy(() => import('../pages/dashdesigner/DashboardDesignerPage').then((m) => ({ default: m.DashboardDesignerPage })));

/** AppRoutes maps every URL of the app to its page. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element=<LoginPage /> />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<HomeRedirect />} />
        <Route
          path="tenants"
          element={
            <RequireRole platform>
              <TenantsPage />
            </RequireRole>
          }
        />
        <Route path="forms" element={<TenantPage><FormsPage /></TenantPage>} />
        <Route path="forms/:form/records" element={<TenantPage><RecordsPage /></TenantPage>} />
        <Route path="forms/:form/records/new" element={<TenantPage lazy><RecordEntryPage /></TenantPage>} />
        <Route path="forms/:form/records/:id" element={<TenantPage><RecordPage /></TenantPage>} />
        <Route path="forms/:form/records/:id/edit" element={<TenantPage lazy><RecordEntryPage /></TenantPage>} />
        <Route path="tasks" element={<TenantPage lazy><TasksPage /></TenantPage>} />
        <Route path="tasks/:task" element={<TenantPage lazy><TasksPage /></TenantPage>} />
        <Route path="dashboards/:key" element={<TenantPage lazy may={mayViewDashboard}><CockpitPage /></TenantPage>} />
        <Route path="designer/forms" element={<TenantPage lazy may={mayDesign}><DesignsPage /></TenantPage>} />
        <Route path="designer/forms/:key" element={<TenantPage lazy may={mayDesign}><DesignerPage /></TenantPage>} />
        <Route path="designer/new" element={<TenantPage lazy may={mayDesign}><NewFormPage /></TenantPage>} />
        <Route path="designer/dashboards" element={<TenantPage lazy may={mayDesign}><DashboardsPage /></TenantPage>} />
        <Route path="designer/dashboards/:key" element={<TenantPage lazy may={mayDesign}><DashboardDesignerPage /></TenantPage>} />
        <Route path="designer/flows" element={<TenantPage lazy may={mayDesign}><FlowsPage /></TenantPage>} />
        <Route path="designer/flows/:key" element={<TenantPage lazy may={mayDesign}><FlowDesignerPage /></TenantPage>} />
        <Route path="designer/rules" element={<TenantPage lazy may={mayDesign}><RuleSetsPage /></TenantPage>} />
        <Route path="designer/rules/:form" element={<TenantPage lazy may={mayDesign}><RulesPage /></TenantPage>} />
        <Route path="admin/*" element={<TenantPage lazy><AdminPages /></TenantPage>} />
        <Route path="*" element=<NotFoundPage /> />
      </Route>
    </Routes>
  );
}

// Who may open the pages the session's can map decides.
const mayDesign = (user: Principal | null) => mayUse(user, 'designer');
const mayViewDashboard = (user: Principal | null, params: Readonly<Params>) => canDo(user, `dashboard:${params.key ?? ''}`, 'read');

/**
 * TenantPage keeps a page to tenant users (and, with may, to those allowed it), showing
 * a loading line while a lazy page arrives.
 */
function TenantPage({ lazy: isLazy = false, may, children }: { lazy?: boolean; may?: (user: Principal | null, params: Readonly<Params>) => boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const page = isLazy ? <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>{children}</Suspense> : children;
  return <RequireRole platform={false}>{may ? <RequireCan may={may}>{page}</RequireCan> : page}</RequireRole>;
}
