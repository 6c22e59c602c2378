import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import type { FormAccess, Principal } from '../../core/api/types';
import { renderApp } from '../../../test/renderApp';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };
const form: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application', 'zh-CN': '贷款申请' }, create: true, read: true, update: true, delete: false, export: false, row_scoped: false, fields: [],
};
const summary = {
  kind: 'flow', key: 'loan_approval', title: loanApproval.name, form: 'loan_application', status: 'published', updated_at: '2026-04-01T08:00:00Z',
  latest: 1, published_at: '2026-04-01T08:00:00Z', draft: 'none', draft_valid: true,
};
const routes = {
  'GET /api/v1/t/demo/definitions/flow': () => ({ body: { definitions: [summary] } }),
  'GET /api/v1/t/demo/definitions/form': () => ({
    body: { definitions: [{ kind: 'form', key: 'loan_application', title: form.title, status: 'published', updated_at: '2026-04-01T08:00:00Z', latest: 1, draft: 'none', draft_valid: true }] },
  }),
  'GET /api/v1/t/demo/definitions/rule': () => ({
    body: { definitions: [{ kind: 'rule', key: 'loan_application', title: form.title, form: 'loan_application', status: 'draft_ahead', updated_at: '2026-04-02T08:00:00Z', latest: 2, draft: 'changed', draft_valid: false }] },
  }),
  'GET /api/v1/t/demo/forms': () => ({ body: { forms: [form] } }),
  'PUT /api/v1/t/demo/definitions/flow/early_collection': (req: { body: unknown }) => ({ body: { kind: 'flow', key: 'early_collection', body: req.body, problems: [], valid: true } }),
};

describe('the flow and rule lists', () => {
  it('are offered on the form designs page', async () => {
    renderApp({ url: '/designer/forms', user: admin, routes });
    expect(await screen.findByRole('link', { name: 'Flow designs' })).toHaveAttribute('href', '/designer/flows');
    expect(screen.getByRole('link', { name: 'Rule sets' })).toHaveAttribute('href', '/designer/rules');
    expect(await screen.findByRole('link', { name: 'Rules of Loan application' })).toHaveAttribute('href', '/designer/rules/loan_application');
  });

  it('list flows by name and form, and start a new one as a draft', async () => {
    const { server } = renderApp({ url: '/designer/flows', user: admin, routes, language: 'zh-CN' });
    const link = await screen.findByRole('link', { name: '设计贷款审批' });
    expect(link).toHaveAttribute('href', '/designer/flows/loan_approval');
    const row = link.closest('tr')!;
    expect(within(row).getByText('贷款申请')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('键'), 'early_collection');
    await user.selectOptions(screen.getByLabelText('流程处理哪个表单的记录'), 'loan_application');
    await user.type(screen.getByLabelText('名称（English）'), 'Early collection');
    await user.click(screen.getByRole('button', { name: '创建流程' }));
    await waitFor(() => expect(server.sent.some((r) => r.method === 'PUT')).toBe(true));
    expect(server.sent.find((r) => r.method === 'PUT')!.body).toEqual({
      key: 'early_collection',
      form: 'loan_application',
      name: { en: 'Early collection' },
      nodes: [
        { id: 'start', type: 'start', name: { 'zh-CN': '开始', en: 'Start' } },
        { id: 'done', type: 'end', name: { 'zh-CN': '完成', en: 'Done' } },
      ],
      edges: [{ from: 'start', to: 'done' }],
    });
  });

  it('list the forms’ rule sets with their state', async () => {
    renderApp({ url: '/designer/rules', user: admin, routes });
    const link = await screen.findByRole('link', { name: 'Rules of Loan application' });
    const row = link.closest('tr')!;
    expect(within(row).getByText('Version 2')).toBeInTheDocument();
    expect(within(row).getByText(/Changed since published/)).toBeInTheDocument();
  });
});
