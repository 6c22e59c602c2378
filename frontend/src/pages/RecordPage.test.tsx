import { screen, within } from '@testing-library/react';
import type { FormAccess, RecordFlows, Task } from '../core/api/types';
import { apiError } from '../../test/fakeServer';
import { renderApp, reviewer } from '../../test/renderApp';

const collector = { ...reviewer, id: 'u-7', email: 'collector@demo.credo', roles: ['collector'] };

const access: FormAccess = {
  form: 'loan_application', version: 1, title: { 'zh-CN': '贷款申请', en: 'Loan application' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'applicant_name', view: 'full', write: false, label: { en: 'Applicant name' }, widget: 'text' },
    { name: 'mobile_phone', view: 'masked', write: false, sensitive: true, label: { en: 'Mobile phone' }, widget: 'phone' },
    { name: 'amount', view: 'full', write: false, label: { en: 'Amount' }, widget: 'money' },
  ],
};

const flows: RecordFlows = {
  instances: [
    {
      id: 'i1', flow: 'loan_approval', version: 1, status: 'running', started_by: 'system', started_at: '2026-11-23T20:27:56Z',
      positions: [{ node: 'credit_review', since: '2026-11-23T20:27:56Z', waiting: 'task' }],
    },
  ],
  history: [
    { instance: 'i1', flow: 'loan_approval', node: 'intake', node_type: 'start', action: 'started', actor: 'system', at: '2026-11-23T20:27:56Z', duration: 0 },
    {
      instance: 'i1', flow: 'loan_approval', node: 'credit_review', node_type: 'approval', task: 't1', action: 'comment',
      actor: 'u-3', at: '2026-11-23T22:28:10Z', duration: 7_214_000_000_000, comment: 'Call the employer',
    },
    {
      instance: 'i1', flow: 'loan_approval', node: 'credit_review', node_type: 'approval', task: 't1', action: 'approve',
      actor: 'u-7', at: '2026-11-23T22:30:10Z', duration: 7_334_000_000_000,
    },
    {
      instance: 'i1', flow: 'loan_approval', node: 'credit_review', node_type: 'approval', action: 'approve',
      actor: 'u-7', at: '2026-11-23T22:30:10Z', duration: 7_334_000_000_000,
    },
  ],
};

const openTask: Task = {
  id: 't1', instance: 'i1', flow: 'loan_approval', flow_version: 1, node: 'credit_review', name: { en: 'Credit review' },
  kind: 'approval', mode: 'any', form: 'loan_application', record_id: 'r1', status: 'open', candidates: ['role:credit_reviewer'],
  audience: ['role:credit_reviewer'], created_at: '2026-11-23T20:27:56Z', due_at: '2026-11-25T20:27:56Z', version: 1,
};

function renderRecord() {
  return renderApp({
    url: '/forms/loan_application/records/r1',
    user: collector,
    routes: {
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/forms/loan_application/records/r1': () => ({
        body: {
          id: 'r1', form: 'loan_application', form_version: 1, version: 4, created_at: '2026-11-23T20:27:55Z', updated_at: '2026-11-23T20:28:10Z',
          created_by: 'u-1', data: { applicant_name: '王洋', mobile_phone: '190****2282', amount: 165000 },
        },
      }),
      'GET /api/v1/t/demo/forms/loan_application/records/r1/flows': () => ({ body: flows }),
      'GET /api/v1/t/demo/forms/loan_application/records/r1/rule-runs': () => ({
        body: {
          runs: [
            {
              id: 'e1~start_approval', rule: 'start_approval', rule_set_version: 1, form_version: 1, input_hash: '87d2f0be12c62e5017b38fb2',
              actions: [{ type: 'start_flow', detail: 'loan_approval' }], at: '2026-11-23T20:27:56Z',
            },
          ],
        },
      }),
      'GET /api/v1/t/demo/tasks': (req) =>
        req.query.get('scope') === 'all' ? apiError(403, 'forbidden', 'You are not allowed to do this.') : { body: { tasks: [openTask] } },
    },
  });
}

describe('RecordPage', () => {
  it('shows the fields labelled, a masked phone exactly as the server masked it', async () => {
    renderRecord();
    expect(await screen.findByRole('heading', { name: 'Loan application: record', level: 1 })).toBeInTheDocument();
    const phone = (await screen.findByText('Mobile phone')).closest('div')!;
    expect(within(phone).getByRole('definition')).toHaveTextContent('190****2282');
    expect(screen.getByText('CN¥165,000.00')).toBeInTheDocument();
  });

  it('tells the flow history: which step, what, who, when and how long', async () => {
    renderRecord();
    const history = await screen.findByRole('table', { name: 'Flow history' });
    const rows = within(history).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows[0]?.slice(0, 3)).toEqual(['intake', 'Started', 'the system']);
    expect(rows[1]?.[0]).toBe('Credit review');
    expect(rows[1]?.slice(1, 3)).toEqual(['Commented', 'u-3']);
    expect(rows[1]?.[4]).toBe('2 hr');
    expect(rows[1]?.[5]).toBe('Call the employer');
    // The decision on the task, by the reader, then the node left by it.
    expect(rows[2]?.slice(1, 3)).toEqual(['Approved', 'you']);
    expect(rows[3]?.slice(1, 3)).toEqual(['Passed (Approved)', 'you']);
    expect(screen.getByText(/loan_approval \(version 1\): running · Waiting at Credit review/)).toBeInTheDocument();
  });

  it('lists the rules that fired and the open tasks, from the person’s own inbox when they may not see all', async () => {
    const { server } = renderRecord();
    const rules = await screen.findByRole('table', { name: 'Rules that fired' });
    expect(within(rules).getByText('start_flow: loan_approval')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Credit review' })).toHaveAttribute('href', '/tasks/t1');
    const scopes = server.sent.filter((r) => r.path.endsWith('/tasks')).map((r) => [r.query.get('scope'), r.query.get('record')]);
    expect(scopes).toEqual([
      ['all', 'r1'],
      ['mine', 'r1'],
    ]);
  });
});
