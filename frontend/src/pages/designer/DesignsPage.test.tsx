import { screen, within } from '@testing-library/react';
import type { Principal } from '../../core/api/types';
import { renderApp } from '../../../test/renderApp';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };

describe('DesignsPage', () => {
  it('lists published and only drafted forms by title with their draft state, leading to the designer', async () => {
    const { server } = renderApp({
      url: '/designer/forms',
      user: admin,
      routes: {
        'GET /api/v1/t/demo/definitions/form': () => ({
          body: {
            definitions: [
              {
                kind: 'form', key: 'customer', title: { en: 'Customer', 'zh-CN': '客户' }, status: 'published', updated_at: '2026-04-01T08:00:00Z',
                latest: 2, published_at: '2026-04-01T08:00:00Z', draft: 'unchanged', draft_valid: true,
              },
              { kind: 'form', key: 'intake', title: { en: 'Intake' }, status: 'draft', updated_at: '2026-04-03T08:00:00Z', latest: 0, draft: 'changed', draft_valid: false },
              { kind: 'form', key: 'guarantor', status: 'draft', updated_at: '2026-04-03T08:00:00Z', latest: 0, draft: 'changed', draft_valid: false },
            ],
          },
        }),
      },
    });
    const customer = (await screen.findByRole('link', { name: 'Design Customer' })).closest('tr')!;
    expect(customer).toHaveTextContent('Version 2');
    expect(customer).toHaveTextContent('Same as published');
    // Named by their drafts' titles, with the key beside: no other request.
    const intake = screen.getByRole('link', { name: 'Design Intake' }).closest('tr')!;
    expect(within(intake).getByText('intake')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Design guarantor' })).toBeInTheDocument();
    expect(within(intake).getByText('Not published')).toBeInTheDocument();
    expect(intake).toHaveTextContent('Changed since published · has problems');
    expect(screen.getByRole('link', { name: 'New form' })).toHaveAttribute('href', '/designer/new');
    expect(server.sent.map((r) => r.path)).not.toContain('/api/v1/t/demo/forms');
  });

  it('names the forms in Chinese for a Chinese reader', async () => {
    renderApp({
      url: '/designer/forms',
      user: admin,
      language: 'zh-CN',
      routes: {
        'GET /api/v1/t/demo/definitions/form': () => ({
          body: { definitions: [{ kind: 'form', key: 'customer', title: { en: 'Customer', 'zh-CN': '客户' }, status: 'published', updated_at: '2026-04-01T08:00:00Z', latest: 2, draft: 'none', draft_valid: true }] },
        }),
      },
    });
    const row = (await screen.findByRole('link', { name: '设计 客户' })).closest('tr')!;
    expect(within(row).getByText('customer')).toBeInTheDocument();
  });
});
