import { screen, within } from '@testing-library/react';
import type { FormAccess, Principal } from '../../core/api/types';
import type { Handler } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';

const form: FormAccess = {
  form: 'loan_application', version: 3, title: { en: 'Loan application' },
  create: true, read: true, update: true, delete: false, export: false, row_scoped: false, fields: [],
};
const person = (roles: string[], can?: Record<string, string[]>): Principal => {
  const p: Principal = { id: 'u-2', email: 'p@demo.credo', name: 'P', tenant: 'demo', roles, platform_admin: false };
  if (can) p.can = can;
  return p;
};

function renderForms(user: Principal, routes: Record<string, Handler> = {}) {
  return renderApp({ url: '/forms', user, routes: { 'GET /api/v1/t/demo/forms': () => ({ body: { forms: [form] } }), ...routes } });
}

describe('the designer’s entries on the forms page', () => {
  it('are offered to whoever the session’s can map lets save definitions, without asking the server', async () => {
    const { server } = renderForms(person(['builder'], { 'admin:definitions': ['read', 'update'] }));
    const card = (await screen.findByRole('heading', { name: 'Loan application' })).closest('li')!;
    expect(screen.getByRole('link', { name: 'New form' })).toHaveAttribute('href', '/designer/new');
    expect(screen.getByRole('link', { name: 'Form designs' })).toHaveAttribute('href', '/designer/forms');
    expect(within(card).getByRole('link', { name: 'Design Loan application' })).toHaveAttribute('href', '/designer/forms/loan_application');
    expect(server.sent.some((r) => r.path.includes('/roles'))).toBe(false);
  });

  it('are offered to the built-in administrator role when the session carries no can map', async () => {
    renderForms(person(['admin']));
    await screen.findByRole('heading', { name: 'Loan application' });
    expect(screen.getByRole('link', { name: 'New form' })).toBeInTheDocument();
  });

  it('are not offered to a reader of definitions', async () => {
    renderForms(person(['auditor'], { 'admin:definitions': ['read'], 'form:loan_application': ['read'] }));
    await screen.findByRole('heading', { name: 'Loan application' });
    expect(screen.queryByRole('link', { name: 'New form' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Design / })).not.toBeInTheDocument();
  });
});
