import { screen, within } from '@testing-library/react';
import type { Principal } from '../../core/api/types';
import { renderApp } from '../../../test/renderApp';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };

describe('DesignsPage', () => {
  it('lists published and only drafted forms with their draft state, leading to the designer', async () => {
    renderApp({
      url: '/designer/forms',
      user: admin,
      routes: {
        'GET /api/v1/t/demo/definitions/form': () => ({
          body: {
            definitions: [
              { kind: 'form', key: 'customer', latest: 2, published_at: '2026-04-01T08:00:00Z', draft: 'unchanged', draft_valid: true },
              { kind: 'form', key: 'intake', latest: 0, draft: 'changed', draft_valid: false },
            ],
          },
        }),
        'GET /api/v1/t/demo/forms': () => ({
          body: { forms: [{ form: 'customer', version: 2, title: { en: 'Customer' }, create: true, read: true, update: true, delete: false, export: false, row_scoped: false, fields: [] }] },
        }),
      },
    });
    const customer = (await screen.findByRole('link', { name: 'Design Customer' })).closest('tr')!;
    expect(customer).toHaveTextContent('Version 2');
    expect(customer).toHaveTextContent('Same as published');
    const intake = screen.getByRole('link', { name: 'Design intake' }).closest('tr')!;
    expect(within(intake).getByText('Not published')).toBeInTheDocument();
    expect(intake).toHaveTextContent('Changed since published · has problems');
    expect(screen.getByRole('link', { name: 'New form' })).toHaveAttribute('href', '/designer/new');
  });
});
