import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const base = '/api/v1/t/demo';
const refused = () => apiError(403, 'forbidden', 'You are not allowed to do this.');
const forms = (create: boolean) => () => ({
  body: { forms: [{ form: 'loan_application', version: 1, create, read: true, update: false, delete: false, export: false, fields: [], row_scoped: false }] },
});

function renderAs(roles: string[], routes: Record<string, Handler>) {
  return renderApp({ url: '/forms', user: { ...reviewer, roles }, routes });
}

describe('AdminNavItem', () => {
  it('offers the administrator every page without asking the server', async () => {
    const { server } = renderAs(['admin'], {
      [`GET ${base}/forms`]: forms(true),
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
    expect(server.sent.some((r) => r.path.endsWith('/audit') || r.path.endsWith('/plugins'))).toBe(false);
  });

  it('offers others the pages whose first read the server answers', async () => {
    renderAs(['auditor'], {
      [`GET ${base}/forms`]: forms(false),
      [`GET ${base}/users`]: () => ({ body: { users: [] } }),
      [`GET ${base}/roles`]: () => ({ body: { roles: [] } }),
      [`GET ${base}/plugins`]: refused,
      [`GET ${base}/audit`]: () => ({ body: { entries: [] } }),
      [`GET ${base}/audit/verify`]: () => ({ body: { ok: true, entries: 0, head_seq: 0, head_hash: '', problems: null } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Administration' }));
    const nav = await screen.findByRole('navigation', { name: 'Administration' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Users', 'Roles', 'Field permissions', 'Audit log']);
  });

  it('hides the administration from people the server refuses it', async () => {
    const { server } = renderAs(['collector'], {
      [`GET ${base}/forms`]: forms(false),
      [`GET ${base}/users`]: refused,
      [`GET ${base}/roles`]: refused,
      [`GET ${base}/plugins`]: refused,
      [`GET ${base}/audit`]: refused,
    });
    await screen.findByRole('link', { name: 'Forms' });
    await vi.waitFor(() => expect(server.sent.some((r) => r.path === `${base}/audit`)).toBe(true));
    expect(screen.queryByRole('link', { name: 'Administration' })).not.toBeInTheDocument();
  });

  it('says at a refused page’s address that the person may not use it', async () => {
    renderApp({
      url: '/admin/audit',
      user: { ...reviewer, roles: ['collector'] },
      routes: {
        [`GET ${base}/forms`]: forms(false),
        [`GET ${base}/users`]: refused,
        [`GET ${base}/roles`]: refused,
        [`GET ${base}/plugins`]: refused,
        [`GET ${base}/audit`]: refused,
      },
    });
    expect(await screen.findByText('You may not use this page. Ask an administrator of your tenant.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Audit log' })).not.toBeInTheDocument();
  });
});
