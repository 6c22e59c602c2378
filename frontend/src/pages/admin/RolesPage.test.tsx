import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Role } from '../../core/api/adminEndpoints';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };
const base = '/api/v1/t/demo/roles';
const role = (key: string, name: string, extra: Partial<Role> = {}): Role => ({ key, name, built_in: false, created_at: '', updated_at: '', ...extra });

function renderRoles(routes: Record<string, Handler>, language: 'en' | 'zh-CN' = 'en') {
  return renderApp({
    url: '/admin/roles',
    user: admin,
    language,
    routes: {
      [`GET ${base}`]: () => ({
        body: {
          roles: [
            role('admin', 'Administrator', { built_in: true }),
            role('channel_manager', 'Channel manager', { row_scopes: { loan_application: 'record.channel == user.attrs.channel' } }),
          ],
        },
      }),
      ...routes,
    },
  });
}

describe('RolesPage', () => {
  it('lists the roles with their row scopes and leads to each one’s permissions', async () => {
    renderRoles({});
    const row = (await screen.findByRole('rowheader', { name: 'Channel manager' })).closest('tr')!;
    expect(row).toHaveTextContent('loan_application: record.channel == user.attrs.channel');
    expect(within(row).getByRole('link', { name: 'Permissions of Channel manager' })).toHaveAttribute(
      'href', '/admin/permissions?role=channel_manager',
    );
    expect(screen.getByRole('rowheader', { name: /Administrator/ })).toHaveTextContent('built in');
  });

  it('creates a role, and says so in words when the key is taken (in Chinese too)', async () => {
    let taken = false;
    const { server } = renderRoles(
      {
        [`POST ${base}`]: (req) =>
          taken ? apiError(409, 'already_exists', 'It already exists.') : ((taken = true), { status: 201, body: role('legal', '法务', req.body as object) }),
      },
      'zh-CN',
    );
    const u = userEvent.setup();
    const form = await screen.findByRole('form', { name: '新建角色' });
    await u.type(within(form).getByLabelText('标识'), 'legal');
    await u.type(within(form).getByLabelText('名称'), '法务');
    await u.click(within(form).getByRole('button', { name: '创建角色' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('已创建角色 法务，尚未分配任何权限。');
    expect(server.sent.find((r) => r.method === 'POST')?.body).toEqual({ key: 'legal', name: '法务' });
    await u.type(within(form).getByLabelText('标识'), 'legal');
    await u.click(within(form).getByRole('button', { name: '创建角色' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('本租户已有使用此标识的角色。');
  });
});
