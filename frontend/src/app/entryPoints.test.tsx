import { screen } from '@testing-library/react';
import type { Principal } from '../core/api/types';
import type { Handler } from '../../test/fakeServer';
import { renderApp } from '../../test/renderApp';

// The app's entry points follow the can map the server sends with the session
// (GET /auth/me, server/handlers_auth.go), with the answers the server gives a clerk who
// may only create loan applications and a tenant administrator.
const clerk: Principal = {
  id: 'u-7', email: 'clerk@demo.credo', name: 'Clerk', tenant: 'demo', roles: ['clerk'], platform_admin: false,
  can: { 'form:loan_application': ['create'] },
};
const admin: Principal = {
  id: 'u-1', email: 'admin@demo.credo', name: 'Admin', tenant: 'demo', roles: ['admin'], platform_admin: false,
  can: {
    'admin:users': ['read', 'manage'], 'admin:roles': ['read', 'manage'], 'admin:audit': ['read'], 'admin:plugins': ['read', 'manage'],
    'admin:lists': ['read'], 'admin:webhooks': ['read'], 'admin:definitions': ['read', 'update', 'publish'], 'admin:tasks': ['read'],
    'form:loan_application': ['create', 'read', 'update', 'delete', 'export'], 'dashboard:cockpit': ['read'],
  },
};
const forms = (create: boolean, read: boolean): Record<string, Handler> => ({
  'GET /api/v1/t/demo/forms': () => ({
    body: { forms: [{ form: 'loan_application', version: 1, title: { en: 'Loan application' }, create, read, update: read, delete: false, export: false, fields: [], row_scoped: false }] },
  }),
});

describe('the app’s entry points', () => {
  it('show a clerk no designer, cockpit or administration entries but the import', async () => {
    const { server } = renderApp({ url: '/forms', user: clerk, routes: forms(true, false) });
    expect(await screen.findByRole('link', { name: 'New record in Loan application' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Designs' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'New form' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Form designs' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Dashboard designs' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Design / })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Cockpit' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Administration' })).toBeInTheDocument();
    // Nothing was asked of the server to decide: the session said it all.
    expect(server.sent.filter((r) => /\/(dashboards|roles|users|audit|plugins|definitions)/.test(r.path))).toEqual([]);
  });

  it('show an administrator the designers, the cockpit and the administration', async () => {
    renderApp({ url: '/forms', user: admin, routes: forms(true, true) });
    expect(await screen.findByRole('link', { name: 'Design Loan application' })).toHaveAttribute('href', '/designer/forms/loan_application');
    expect(screen.getByRole('link', { name: 'Designs' })).toHaveAttribute('href', '/designer/forms');
    expect(screen.getByRole('link', { name: 'New form' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Dashboard designs' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Cockpit' })).toHaveAttribute('href', '/dashboards/cockpit');
    expect(screen.getByRole('link', { name: 'Administration' })).toBeInTheDocument();
  });

  it.each(['/designer/forms', '/designer/new', '/designer/flows/loan_approval', '/designer/rules', '/designer/dashboards/cockpit', '/dashboards/cockpit'])(
    'answer a clerk at %s that the page is not for them, asking the server nothing',
    async (url) => {
      const { server } = renderApp({ url, user: clerk, routes: forms(true, false) });
      expect(await screen.findByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
      expect(screen.getByText(/Your role may not use this page/)).toBeInTheDocument();
      expect(server.sent.filter((r) => /\/(dashboards|definitions)/.test(r.path))).toEqual([]);
    },
  );

  it('ask the server again before saying no: a dashboard published since the login opens', async () => {
    let meCalls = 0;
    const dashboard = { key: 'e2e', version: 1, name: { en: 'E2E dashboard' }, description: {}, filters: [], widgets: [], forms: [] };
    renderApp({
      url: '/dashboards/e2e',
      user: admin,
      routes: {
        ...forms(true, true),
        'GET /api/v1/auth/me': () => ({ body: ++meCalls === 1 ? admin : { ...admin, can: { ...admin.can, 'dashboard:e2e': ['read'] } } }),
        'GET /api/v1/t/demo/dashboards/e2e': () => ({ body: dashboard }),
      },
    });
    expect(await screen.findByRole('heading', { name: 'E2E dashboard', level: 1 })).toBeInTheDocument();
    expect(meCalls).toBe(2);
    expect(screen.queryByRole('heading', { name: 'Not allowed' })).not.toBeInTheDocument();
  });
});
