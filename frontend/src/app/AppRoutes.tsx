import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { FormsPage } from '../pages/FormsPage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RecordPage } from '../pages/RecordPage';
import { RecordsPage } from '../pages/RecordsPage';
import { TenantsPage } from '../pages/TenantsPage';
import { HomeRedirect, RequireRole, RequireSession } from './guards';
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
        <Route path="dashboards/:key" element={<TenantPage lazy><CockpitPage /></TenantPage>} />
        <Route path="designer/forms" element={<TenantPage lazy><DesignsPage /></TenantPage>} />
        <Route path="designer/forms/:key" element={<TenantPage lazy><DesignerPage /></TenantPage>} />
        <Route path="designer/new" element={<TenantPage lazy><NewFormPage /></TenantPage>} />
        <Route path="designer/dashboards" element={<TenantPage lazy><DashboardsPage /></TenantPage>} />
        <Route path="designer/dashboards/:key" element={<TenantPage lazy><DashboardDesignerPage /></TenantPage>} />
        <Route path="designer/flows" element={<TenantPage lazy><FlowsPage /></TenantPage>} />
        <Route path="designer/flows/:key" element={<TenantPage lazy><FlowDesignerPage /></TenantPage>} />
        <Route path="designer/rules" element={<TenantPage lazy><RuleSetsPage /></TenantPage>} />
        <Route path="designer/rules/:form" element={<TenantPage lazy><RulesPage /></TenantPage>} />
        <Route path="admin/*" element={<TenantPage lazy><AdminPages /></TenantPage>} />
        <Route path="*" element=<NotFoundPage /> />
      </Route>
    </Routes>
  );
}

/** TenantPage keeps a page to tenant users, showing a loading line while a lazy page arrives. */
function TenantPage({ lazy: isLazy = false, children }: { lazy?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <RequireRole platform={false}>
      {isLazy ? <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>{children}</Suspense> : children}
    </RequireRole>
  );
}
