import { Route, Routes } from 'react-router';
import { FormsPage } from '../pages/FormsPage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RecordsPage } from '../pages/RecordsPage';
import { TenantsPage } from '../pages/TenantsPage';
import { HomeRedirect, RequireRole, RequireSession } from './guards';
import { Layout } from './Layout';

/** AppRoutes maps every URL of the app to its page. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
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
        <Route
          path="forms"
          element={
            <RequireRole platform={false}>
              <FormsPage />
            </RequireRole>
          }
        />
        <Route
          path="forms/:form/records"
          element={
            <RequireRole platform={false}>
              <RecordsPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
