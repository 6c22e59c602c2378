import { screen } from '@testing-library/react';
import type { FormAccess } from '../core/api/types';
import { renderApp, reviewer } from '../../test/renderApp';

const form = (key: string, title: Record<string, string>, extra: Partial<FormAccess> = {}): FormAccess => ({
  form: key, version: 2, title, create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'a', view: 'full', write: false, label: { en: 'A' }, widget: 'text' },
    { name: 'b', view: 'masked', write: false, label: { en: 'B' }, widget: 'phone' },
  ],
  ...extra,
});

describe('FormsPage', () => {
  it('lists the forms the person may use by title in the current language, leading to their records', async () => {
    const { server } = renderApp({
      url: '/forms',
      user: reviewer,
      language: 'zh-CN',
      routes: {
        'GET /api/v1/t/demo/forms': () => ({
          body: {
            forms: [
              form('loan_application', { 'zh-CN': '贷款申请', en: 'Loan application' }, { update: true, row_scoped: true }),
              form('customer', { 'zh-CN': '客户', en: 'Customer' }, { read: false, create: true }),
            ],
          },
        }),
      },
    });
    const link = await screen.findByRole('link', { name: '贷款申请' });
    expect(link).toHaveAttribute('href', '/forms/loan_application/records');
    expect(screen.getAllByText(/第 2 版/)).toHaveLength(2);
    expect(screen.getByText('您可以 查看 · 修改 (仅限您的角色允许的记录)')).toBeInTheDocument();
    // A form one may only fill in has no record list to open.
    expect(screen.getByRole('heading', { name: '客户' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: '客户' })).not.toBeInTheDocument();
    // Readers without the right to definitions get the same menu: no definitions are read.
    expect(server.sent.some((r) => r.path.includes('/definitions/'))).toBe(false);
  });
});
