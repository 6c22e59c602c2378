import { screen } from '@testing-library/react';
import { apiError } from '../../test/fakeServer';
import { renderApp, reviewer } from '../../test/renderApp';

describe('FormsPage', () => {
  it('lists the published forms by title in the current language, leading to their records', async () => {
    renderApp({
      url: '/forms',
      user: reviewer,
      language: 'zh-CN',
      routes: {
        'GET /api/v1/t/demo/definitions/form': () => ({
          body: {
            definitions: [
              { kind: 'form', key: 'loan_application', latest: 2, draft: 'unchanged' },
              { kind: 'form', key: 'draft_only', latest: 0, draft: 'changed' },
            ],
          },
        }),
        'GET /api/v1/t/demo/definitions/form/loan_application/versions/2': () => ({
          body: {
            kind: 'form', key: 'loan_application', version: 2, published_at: '2026-11-23T19:19:20Z',
            body: { key: 'loan_application', title: { 'zh-CN': '贷款申请', en: 'Loan application' }, fields: {} },
          },
        }),
      },
    });
    const link = await screen.findByRole('link', { name: '贷款申请' });
    expect(link).toHaveAttribute('href', '/forms/loan_application/records');
    expect(screen.getByText(/第 2 版/)).toBeInTheDocument();
    expect(screen.queryByText('draft_only')).not.toBeInTheDocument();
  });

  it('explains when the person may not list forms', async () => {
    renderApp({
      url: '/forms',
      user: reviewer,
      routes: { 'GET /api/v1/t/demo/definitions/form': () => apiError(403, 'forbidden', 'You are not allowed to do this.') },
    });
    expect(await screen.findByText(/You may not list this tenant’s forms/)).toBeInTheDocument();
  });
});
