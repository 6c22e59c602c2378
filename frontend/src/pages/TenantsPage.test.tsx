import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Tenant } from '../core/api/types';
import { apiError } from '../../test/fakeServer';
import { platformAdmin, renderApp } from '../../test/renderApp';

const demo: Tenant = {
  slug: 'demo', name: 'Demo Lending Co.', status: 'active', created_at: '2026-11-23T19:19:20.629Z', updated_at: '2026-11-23T19:19:20.629Z',
};

function renderTenants() {
  const tenants: Tenant[] = [demo];
  const view = renderApp({
    url: '/tenants',
    user: platformAdmin,
    routes: {
      'GET /api/v1/tenants': () => ({ body: { tenants } }),
      'POST /api/v1/tenants': (req) => {
        const body = req.body as { slug: string; name: string };
        if (!/^[a-z0-9-]{3,32}$/.test(body.slug)) {
          return apiError(422, 'validation_failed', 'The request is not valid; see fields.', {
            fields: [{ path: '/slug', code: 'invalid_slug', message: 'the slug is 3 to 32 lowercase letters, digits or hyphens' }],
          });
        }
        const tn: Tenant = { ...demo, slug: body.slug, name: body.name };
        tenants.push(tn);
        return { status: 201, body: tn };
      },
      'PATCH /api/v1/tenants/demo': (req) => {
        tenants[0] = { ...demo, status: (req.body as { status: Tenant['status'] }).status };
        return { body: tenants[0] };
      },
    },
  });
  return view;
}

describe('TenantsPage', () => {
  it('lists the tenants with their status', async () => {
    renderTenants();
    const row = (await screen.findByText('Demo Lending Co.')).closest('tr')!;
    expect(within(row).getByText('Active')).toBeInTheDocument();
  });

  it('places the server’s complaint under the slug field', async () => {
    renderTenants();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Slug'), 'Bad Slug');
    await user.type(screen.getByLabelText('Name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some values are not valid; see the fields.');
    const slug = screen.getByLabelText('Slug');
    expect(slug).toHaveAttribute('aria-invalid', 'true');
    expect(slug).toHaveAccessibleDescription(
      '3 to 32 lowercase letters, digits or hyphens; used in URLs. Not a valid slug: use 3 to 32 lowercase letters, digits or hyphens.',
    );
  });

  it('creates a tenant and shows it in the list', async () => {
    renderTenants();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Slug'), 'acme');
    await user.type(screen.getByLabelText('Name'), 'Acme Credit');
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Tenant Acme Credit created.');
    expect(await screen.findByRole('cell', { name: 'Acme Credit' })).toBeInTheDocument();
  });

  it('suspends a tenant after confirmation, sending the CSRF token', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { server } = renderTenants();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Suspend demo' }));
    const row = (await screen.findByText('Suspended')).closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Activate demo' })).toBeInTheDocument();
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Suspend Demo Lending Co.?'));
    const patch = server.sent.find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ status: 'suspended' });
    expect(patch?.headers['X-CSRF-Token']).toBe('csrf-token-1');
  });

  it('does nothing when the suspension is not confirmed', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(false);
    const { server } = renderTenants();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Suspend demo' }));
    expect(server.sent.some((r) => r.method === 'PATCH')).toBe(false);
  });
});
