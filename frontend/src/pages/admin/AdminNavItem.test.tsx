import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Principal } from '../../core/api/types';
import type { Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const base = '/api/v1/t/demo';
const forms = () => ({
  body: { forms: [{ form: 'loan_application', version: 1, create: false, read: true, update: false, delete: false, export: false, fields: [], row_scoped: false }] },
});

function renderAs(roles: string[], can: Record<string, string[]> | undefined, routes: Record<string, Handler> = {}, url = '/forms') {
  const user: Principal = { ...reviewer, roles };
  if (can) user.can = can;
  return renderApp({ url, user, routes: { [`GET ${base}/forms`]: forms, ...routes } });
}

describe('AdminNavItem', () => {
  it('offers the administrator every page', async () => {
    renderAs(['admin'], undefined, {
      [`GET ${base}/users`]: () => ({ body: { users: [] } }),
      [`GET ${base}/roles`]: () => ({ body: { roles: [] } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Administration' }));
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual([
      'Users', 'Roles', 'Field permissions', 'Plugins', 'Import', 'Audit log',
    ]);
    expect(await screen.findByRole('heading', { name: 'Users', level: 1 })).toBeInTheDocument();
  });

  it('offers others the pages their can map allows, without probing the server', async () => {
    const { server } = renderAs(['auditor'], { 'admin:users': ['read'], 'admin:roles': ['read'], 'admin:audit': ['read'], 'form:loan_application': ['read'] }, {
      [`GET ${base}/users`]: () => ({ body: { users: [] } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Administration' }));
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Users', 'Roles', 'Field permissions', 'Audit log']);
    expect(server.sent.some((r) => r.path.endsWith('/plugins') || r.path.endsWith('/audit'))).toBe(false);
  });

  it('offers the import to whoever may create records of some form', async () => {
    renderAs(['clerk'], { 'form:loan_application': ['create'] });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Administration' }));
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Import']);
  });

  it('hides the administration from people whose can map allows none of it', async () => {
    renderAs(['collector'], { 'form:loan_application': ['read'] });
    await screen.findByRole('link', { name: 'Forms' });
    expect(screen.queryByRole('link', { name: 'Administration' })).not.toBeInTheDocument();
  });

  it('says at a refused page’s address that the person may not use it', async () => {
    renderAs(['collector'], { 'form:loan_application': ['read'] }, {}, '/admin/audit');
    expect(await screen.findByText('You may not use this page. Ask an administrator of your tenant.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Audit log' })).not.toBeInTheDocument();
  });
});
