import { screen, waitFor, within } from '@testing-library/react';
import type { FormAccess, Principal } from '../../core/api/types';
import type { Handler } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';

const form: FormAccess = {
  form: 'loan_application', version: 3, title: { en: 'Loan application' },
  create: true, read: true, update: true, delete: false, export: false, row_scoped: false, fields: [],
};
const person = (roles: string[]): Principal => ({ id: 'u-2', email: 'p@demo.credo', name: 'P', tenant: 'demo', roles, platform_admin: false });

function renderForms(roles: string[], routes: Record<string, Handler> = {}) {
  return renderApp({ url: '/forms', user: person(roles), routes: { 'GET /api/v1/t/demo/forms': () => ({ body: { forms: [form] } }), ...routes } });
}

describe('the designer’s entries on the forms page', () => {
  it('are offered to an administrator without asking the server', async () => {
    const { server } = renderForms(['admin']);
    expect(await screen.findByRole('link', { name: 'New form' })).toHaveAttribute('href', '/designer/new');
    expect(screen.getByRole('link', { name: 'Form designs' })).toHaveAttribute('href', '/designer/forms');
    const card = screen.getByRole('heading', { name: 'Loan application' }).closest('li')!;
    expect(within(card).getByRole('link', { name: 'Design Loan application' })).toHaveAttribute('href', '/designer/forms/loan_application');
    expect(server.sent.some((r) => r.path.includes('/roles/'))).toBe(false);
  });

  it('are offered to a role whose rules allow editing definitions', async () => {
    renderForms(['builder'], {
      'GET /api/v1/t/demo/roles/builder/permissions': () => ({ body: { permissions: [{ object: 'admin:definitions', action: '*' }] } }),
    });
    expect(await screen.findByRole('link', { name: 'New form' })).toBeInTheDocument();
  });

  it('are not offered to a reader of definitions, nor when the rules cannot be read', async () => {
    const { server } = renderForms(['auditor', 'credit_reviewer'], {
      'GET /api/v1/t/demo/roles/auditor/permissions': () => ({ body: { permissions: [{ object: 'admin:definitions', action: 'read' }] } }),
      'GET /api/v1/t/demo/roles/credit_reviewer/permissions': () => ({ status: 403, body: { error: { code: 'forbidden', message: 'No.' } } }),
    });
    await screen.findByRole('link', { name: 'Loan application' });
    // Both roles' rules were asked for and answered before looking.
    await waitFor(() => expect(server.sent.filter((r) => r.path.includes('/roles/'))).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByRole('link', { name: 'New form' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Design / })).not.toBeInTheDocument();
  });
});
