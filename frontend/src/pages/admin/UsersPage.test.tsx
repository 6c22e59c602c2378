import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AdminUser, Role } from '../../core/api/adminEndpoints';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, id: 'u-admin', email: 'admin@demo.credo', roles: ['admin'] };
const base = '/api/v1/t/demo';

const user = (id: string, email: string, name: string, roles: string[], extra: Partial<AdminUser> = {}): AdminUser => ({
  id, tenant: 'demo', email, name, roles, disabled: false, created_at: '', updated_at: '', ...extra,
});
const li = user('u-1', 'collector@demo.credo', '李强', ['collector']);
const role = (key: string, name: string): Role => ({ key, name, built_in: key === 'admin', created_at: '', updated_at: '' });

function renderUsers(routes: Record<string, Handler> = {}) {
  return renderApp({
    url: '/admin/users',
    user: admin,
    routes: {
      [`GET ${base}/users`]: () => ({ body: { users: [user('u-admin', 'admin@demo.credo', 'Demo administrator', ['admin']), li] } }),
      [`GET ${base}/roles`]: () => ({ body: { roles: [role('admin', 'Administrator'), role('collector', 'Collector'), role('legal', 'Legal')] } }),
      ...routes,
    },
  });
}

describe('UsersPage', () => {
  it('lists users with their roles by name, and disables one after asking', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { server } = renderUsers({
      [`PATCH ${base}/users/u-1`]: (req) => ({ body: { ...li, ...(req.body as object) } }),
    });
    const row = (await screen.findByRole('rowheader', { name: '李强' })).closest('tr')!;
    expect(row).toHaveTextContent('Collector');
    expect(row).toHaveTextContent('Active');
    // Nobody disables themselves by accident.
    expect(screen.getByRole('button', { name: 'Disable admin@demo.credo' })).toBeDisabled();
    await userEvent.setup().click(within(row).getByRole('button', { name: 'Disable collector@demo.credo' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Disable 李强?'));
    await within(row).findByText('Disabled');
    expect(server.sent.find((r) => r.method === 'PATCH')?.body).toEqual({ disabled: true });
  });

  it('sends only what changed when a user is edited', async () => {
    const { server } = renderUsers({
      [`PATCH ${base}/users/u-1`]: (req) => ({ body: { ...li, ...(req.body as object) } }),
    });
    const u = userEvent.setup();
    await u.click(await screen.findByRole('button', { name: 'Edit collector@demo.credo' }));
    const editor = screen.getByRole('form', { name: 'Edit collector@demo.credo' });
    await u.click(within(editor).getByRole('button', { name: 'Save' }));
    expect(await within(editor).findByRole('status')).toHaveTextContent('Nothing was changed, so nothing was sent.');
    expect(server.sent.some((r) => r.method === 'PATCH')).toBe(false);
    await u.click(within(editor).getByRole('checkbox', { name: 'Collector' }));
    await u.click(within(editor).getByRole('checkbox', { name: 'Legal' }));
    await u.click(within(editor).getByRole('button', { name: 'Save' }));
    expect(await within(editor).findByText('Saved.')).toBeInTheDocument();
    expect(server.sent.find((r) => r.method === 'PATCH')?.body).toEqual({ roles: ['legal'] });
    expect(screen.getByRole('rowheader', { name: '李强' }).closest('tr')).toHaveTextContent('Legal');
  });

  it('places the server’s problems under the new user’s fields, in words', async () => {
    renderUsers({
      [`POST ${base}/users`]: () =>
        apiError(422, 'validation_failed', 'The request is not valid; see fields.', {
          fields: [
            { path: '/email', code: 'invalid_email', message: '"bad" is not an email address' },
            { path: '/password', code: 'password_too_short', message: 'the password must have at least 10 characters' },
            { path: '/roles/0', code: 'unknown_role', message: 'the tenant has no role "legal"' },
          ],
        }),
    });
    const u = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'New user' });
    await u.type(within(form).getByLabelText('Email'), 'bad');
    await u.type(within(form).getByLabelText('Password'), 'short');
    await u.click(within(form).getByRole('checkbox', { name: 'Legal' }));
    await u.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Some values are not valid; see the fields.');
    expect(within(form).getByLabelText('Email')).toHaveAccessibleDescription('Not a valid email address.');
    expect(within(form).getByLabelText('Password')).toHaveAccessibleDescription('At least 10 characters. The password is too short (at least 10 characters).');
    expect(within(form).getByText('The tenant has no such role.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });
});
