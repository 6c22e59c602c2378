import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import loanApproval from '../../../../schemas/templates/lending/flows/loan_approval.json';
import type { FormAccess, Principal } from '../../core/api/types';
import type { JsonObject } from '../../core/designer/types';
import { renderApp } from '../../../test/renderApp';
import { installCanvasEnv } from './canvasTestEnv';
import { definitionServer } from './definitionServer';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };
const access: FormAccess = {
  form: 'loan_application', version: 3, title: { en: 'Loan application' }, create: true, read: true, update: true, delete: true, export: true, row_scoped: false,
  fields: [
    { name: 'amount', view: 'full', write: true, label: { en: 'Amount' } },
    { name: 'approved_limit', view: 'full', write: true, label: { en: 'Approved limit' } },
    { name: 'approver', view: 'full', write: true, label: { en: 'Approver' } },
  ],
};

beforeAll(() => installCanvasEnv());

function renderFlow(start: Parameters<typeof definitionServer>[2], check?: Parameters<typeof definitionServer>[3]) {
  const fake = definitionServer('flow', 'loan_approval', start, check);
  const view = renderApp({
    url: '/designer/flows/loan_approval',
    user: admin,
    routes: {
      ...fake.routes,
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/definitions/flow': () => ({ body: { definitions: [{ kind: 'flow', key: 'loan_approval', latest: 1, draft: 'none', draft_valid: true }] } }),
      'GET /api/v1/t/demo/roles': () => ({ body: { roles: [{ key: 'credit_reviewer', name: 'Credit reviewer', built_in: false }] } }),
    },
  });
  const puts = () => view.server.sent.filter((r) => r.method === 'PUT').map((r) => r.body as JsonObject);
  return { ...view, state: fake.state, puts, user: userEvent.setup() };
}

const canvas = () => screen.getByRole('region', { name: 'Flow canvas' });
const panel = () => screen.getByRole('complementary', { name: 'Properties' });
const body = () => structuredClone(loanApproval) as JsonObject;

describe('FlowDesignerPage', () => {
  it('draws the published flow’s steps and saves it unchanged as the very JSON it read', async () => {
    const { user, puts } = renderFlow({ versions: [body()] });
    expect(await screen.findByRole('heading', { name: 'Flow: Loan approval', level: 1 })).toBeInTheDocument();
    expect(await within(canvas()).findByRole('button', { name: 'Approval: Credit review' })).toBeInTheDocument();
    expect(within(canvas()).getByRole('button', { name: 'Gateway: Risk gate' })).toBeInTheDocument();
    expect(within(canvas()).getByRole('button', { name: 'Parallel split: Automated checks' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText(/Draft saved; ready to publish\./)).toBeInTheDocument();
    expect(JSON.stringify(puts()[0])).toBe(JSON.stringify(loanApproval));
  });

  it('adds a step, connects it, edits its properties and saves them', async () => {
    const { user, puts } = renderFlow({ draft: body() });
    await screen.findByRole('heading', { name: 'Flow: Loan approval', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Add Approval' }));
    // The new step is selected: the panel shows it.
    expect(within(panel()).getByRole('heading', { name: 'Step: Approval' })).toBeInTheDocument();
    expect(within(canvas()).getByRole('button', { name: 'Approval: Approval' })).toBeInTheDocument();
    const id = within(panel()).getByLabelText('Id');
    await user.clear(id);
    await user.type(id, 'fraud_review');
    const en = within(panel()).getByLabelText('Name (English)');
    await user.clear(en);
    await user.type(en, 'Fraud review');
    await user.type(within(panel()).getByLabelText('Candidate 1'), 'fraud_officer');
    await user.selectOptions(within(panel()).getByLabelText('Who decides'), 'all');
    await user.selectOptions(within(panel()).getByLabelText('Fields the assignee may change: Add a field'), 'approved_limit');
    await user.click(within(panel()).getByLabelText('Act when the task is still open after a while'));
    const after = within(panel()).getByLabelText('After');
    await user.clear(after);
    await user.type(after, '2d');
    await user.selectOptions(within(panel()).getByLabelText('Then'), 'auto_reject');
    await user.selectOptions(within(panel()).getByLabelText('Who decided, into'), 'approver');
    // Connected to two steps: approve, then reject.
    await user.selectOptions(within(panel()).getByLabelText('Connect to'), 'approve');
    await user.click(within(panel()).getByRole('button', { name: 'Connect' }));
    await user.selectOptions(within(panel()).getByLabelText('Connect to'), 'review_reject');
    await user.click(within(panel()).getByRole('button', { name: 'Connect' }));
    expect(within(panel()).getByLabelText('Decision leading to approve')).toHaveValue('approve');
    expect(within(panel()).getByLabelText('Decision leading to review_reject')).toHaveValue('reject');
    expect(within(canvas()).getByRole('button', { name: 'Approval: Fraud review' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/Draft saved/);
    const saved = puts()[0] as typeof loanApproval;
    expect(saved.nodes.at(-1)).toEqual({
      id: 'fraud_review',
      type: 'approval',
      name: { 'zh-CN': '审批', en: 'Fraud review' },
      candidates: [{ role: 'fraud_officer' }],
      mode: 'all',
      editable: ['approved_limit'],
      sla: { after: '2d', action: 'auto_reject' },
      stamp: { decided_by: 'approver' },
    });
    expect(saved.edges.slice(-2)).toEqual([
      { from: 'fraud_review', to: 'approve', decision: 'approve' },
      { from: 'fraud_review', to: 'review_reject', decision: 'reject' },
    ]);
    // Everything else is as it was.
    expect(saved.nodes.slice(0, -1)).toEqual(loanApproval.nodes);
  });

  it('shows the server’s CEL problem on the gateway condition’s input until it is fixed', async () => {
    // The stand-in server refuses a condition that ends in an operator, as the CEL parser does.
    const check = (b: JsonObject) =>
      (b['edges'] as JsonObject[]).flatMap((e, i) =>
        typeof e['condition'] === 'string' && /[><=]\s*$/.test(e['condition']) ? [{ path: `/edges/${i}/condition`, code: 'cel_syntax', message: "ERROR: <input>:1:16: Syntax error: mismatched input '<EOF>'" }] : [],
      );
    const { user, server } = renderFlow({ draft: body() }, check);
    await screen.findByRole('heading', { name: 'Flow: Loan approval', level: 1 });
    // Chosen with the keyboard, as React Flow offers: focus, then Enter.
    (await within(canvas()).findByRole('button', { name: 'Gateway: Amount gate' })).focus();
    await user.keyboard('{Enter}');
    expect(within(panel()).getByRole('heading', { name: 'Step: Gateway' })).toBeInTheDocument();
    const condition = within(panel()).getByLabelText('Condition to limit_approval (CEL)');
    expect(condition).toHaveValue('record.amount > 200000.0');
    await user.clear(condition);
    await user.type(condition, 'record.amount >');
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Not published: one problem; the step concerned is marked.')).toBeInTheDocument();
    expect(condition).toHaveAttribute('aria-invalid', 'true');
    expect(within(panel()).getByText(/The expression does not parse: ERROR: <input>:1:16/)).toBeInTheDocument();
    expect(server.sent.some((r) => r.path.endsWith('/publish'))).toBe(false);

    await user.type(condition, ' 300000.0');
    expect(condition).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Published as version 1.')).toBeInTheDocument();
  });

  it('places a step’s problems on the step and its SLA input, and removes a step with its connections', async () => {
    const check = (b: JsonObject) => {
      const i = (b['nodes'] as JsonObject[]).findIndex((n) => n['id'] === 'credit_review');
      return i < 0 ? [] : [{ path: `/nodes/${i}/sla/after`, code: 'duration', message: 'time: invalid duration "soon"' }];
    };
    const { user, puts } = renderFlow({ draft: body() }, check);
    await screen.findByRole('heading', { name: 'Flow: Loan approval', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/Draft saved. One problem/);
    const review = await within(canvas()).findByRole('button', { name: 'Approval: Credit review' });
    expect(within(review).getByText('Problems: 1')).toBeInTheDocument();
    review.focus();
    await user.keyboard('{Enter}');
    expect(within(panel()).getByLabelText('After')).toHaveAttribute('aria-invalid', 'true');
    expect(within(panel()).getByText('Not a duration: time: invalid duration "soon"')).toBeInTheDocument();
    await user.click(within(panel()).getByRole('button', { name: 'Remove this step' }));
    await waitFor(() => expect(within(canvas()).queryByRole('button', { name: 'Approval: Credit review' })).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(puts()).toHaveLength(2));
    const saved = puts()[1] as typeof loanApproval;
    expect(saved.nodes.some((n) => n.id === 'credit_review')).toBe(false);
    expect(saved.edges.some((e) => e.from === 'credit_review' || e.to === 'credit_review')).toBe(false);
  });

  it('draws a step where its stored position puts it, and Arrange again forgets every position', async () => {
    const placed = body();
    const nodes = placed['nodes'] as JsonObject[];
    const at = nodes.findIndex((n) => n['id'] === 'credit_review');
    nodes[at] = { ...nodes[at], position: { x: 1234, y: 567 } };
    const { user, puts } = renderFlow({ draft: placed });
    await screen.findByRole('heading', { name: 'Flow: Loan approval', level: 1 });
    const review = await within(canvas()).findByRole('button', { name: 'Approval: Credit review' });
    await waitFor(() => expect(review.style.transform).toBe('translate(1234px,567px)'));
    const arrange = screen.getByRole('button', { name: 'Arrange again' });
    expect(arrange).toBeEnabled();
    await user.click(arrange);
    expect(arrange).toBeDisabled();
    await waitFor(() => expect(review.style.transform).not.toBe('translate(1234px,567px)'));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/Draft saved/);
    expect(JSON.stringify(puts()[0])).toBe(JSON.stringify(loanApproval));
  });
});
