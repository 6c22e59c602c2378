import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormAccess, FormRecord, Task } from '../../core/api/types';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const hour = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id, instance: 'i-' + id, flow: 'loan_approval', flow_version: 1, node: 'credit_review',
  name: { 'zh-CN': '信审', en: 'Credit review' }, kind: 'approval', mode: 'any', form: 'loan_application',
  record_id: 'rec-' + id, status: 'open', candidates: ['role:credit_reviewer'], audience: ['role:credit_reviewer'],
  editable: ['approved_limit', 'term_months'], created_at: iso(-50 * hour), due_at: iso(-2 * hour), version: 1, ...extra,
});

const access: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application' },
  create: false, read: true, update: true, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'amount', view: 'full', write: false, label: { en: 'Amount' }, widget: 'money' },
    { name: 'approved_limit', view: 'full', write: true, label: { en: 'Approved limit' }, widget: 'money' },
    {
      name: 'term_months', view: 'full', write: true, label: { en: 'Term' }, widget: 'select',
      options: [{ value: 12, label: { en: '12 months' } }, { value: 24, label: { en: '24 months' } }],
    },
  ],
};

const record = (id: string): FormRecord => ({
  id, form: 'loan_application', form_version: 1, version: 2, created_at: iso(-50 * hour), updated_at: iso(-50 * hour),
  created_by: 'u-9', data: { amount: 165000, term_months: 24 },
});

function renderInbox(url: string, routes: Record<string, Handler> = {}) {
  const late = task('t1');
  const onTime = task('t2', { due_at: iso(30 * hour), record_id: 'rec-t2' });
  return renderApp({
    url,
    user: reviewer,
    routes: {
      'GET /api/v1/t/demo/tasks/counts': () => ({ body: { open: 2, overdue: 1 } }),
      'GET /api/v1/t/demo/tasks': (req) =>
        req.query.get('scope') === 'all' ? apiError(403, 'forbidden', 'You are not allowed to do this.') : { body: { tasks: [late, onTime] } },
      'GET /api/v1/t/demo/tasks/t1': () => ({ body: late }),
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/forms/loan_application/records/rec-t1': () => ({ body: record('rec-t1') }),
      ...routes,
    },
  });
}

describe('TasksPage', () => {
  it('lists the inbox with the overdue task marked in words, and counts it in the navigation', async () => {
    renderInbox('/tasks');
    const late = (await screen.findAllByRole('link', { name: 'Credit review' }))[0]!.closest('tr')!;
    expect(late).toHaveClass('overdue');
    expect(within(late).getByText('Overdue')).toBeInTheDocument();
    expect(within(late).getByText(/hours ago/)).toBeInTheDocument();
    const onTime = screen.getByRole('link', { name: 'rec-t2' }).closest('tr')!;
    expect(onTime).not.toHaveClass('overdue');
    expect(within(onTime).queryByText('Overdue')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Tasks/ })).toHaveTextContent('Tasks 2 open 1 overdue');
  });

  it('offers "All" only to those the session’s can map lets see every task', async () => {
    renderInbox('/tasks');
    await screen.findAllByRole('link', { name: 'Credit review' });
    expect(screen.getByRole('tab', { name: 'Mine' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'My team' })).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'All' })).not.toBeInTheDocument();
  });

  it('offers "All" to a supervisor', async () => {
    renderApp({
      url: '/tasks',
      user: { ...reviewer, roles: ['supervisor'], can: { 'admin:tasks': ['read'] } },
      routes: {
        'GET /api/v1/t/demo/tasks/counts': () => ({ body: { open: 0, overdue: 0 } }),
        'GET /api/v1/t/demo/tasks': () => ({ body: { tasks: [] } }),
      },
    });
    expect(await screen.findByRole('tab', { name: 'All' })).toBeInTheDocument();
  });

  it('asks the server for the team’s overdue tasks when the person says so', async () => {
    const { server } = renderInbox('/tasks');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'My team' }));
    await user.click(screen.getByLabelText('Overdue only'));
    await screen.findByRole('tab', { name: 'My team', selected: true });
    const last = server.sent.filter((r) => r.path === '/api/v1/t/demo/tasks').at(-1)!;
    expect(Object.fromEntries(last.query)).toMatchObject({ scope: 'team', status: 'open', overdue: 'true' });
  });

  it('places the server’s problem under the field it names', async () => {
    const { server } = renderInbox('/tasks/t1', {
      'POST /api/v1/t/demo/tasks/t1/actions': () =>
        apiError(422, 'validation_failed', 'Some fields are not valid; see fields.', {
          fields: [{ path: '/approved_limit', code: 'type', message: 'must be a number' }],
        }),
    });
    const user = userEvent.setup();
    const limit = await screen.findByLabelText('Approved limit');
    await user.type(limit, '12k');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Some values are not valid; see the fields.');
    expect(limit).toHaveAttribute('aria-invalid', 'true');
    expect(limit).toHaveAccessibleDescription('Wrong kind of value: must be a number.');
    expect(screen.getByLabelText('Term')).not.toHaveAttribute('aria-invalid');
    const post = server.sent.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ kind: 'approve', version: 1, fields: { approved_limit: '12k' } });
  });

  it('places a refused return on the step it names', async () => {
    renderInbox('/tasks/t1', {
      'POST /api/v1/t/demo/tasks/t1/actions': () =>
        apiError(422, 'invalid_action', 'The task action is not valid; see fields.', {
          fields: [{ path: '/to', code: 'not_passed', message: 'the instance has not passed node contract before this one' }],
        }),
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Return to step'), 'contract');
    await user.click(screen.getByRole('button', { name: 'Return' }));
    const to = screen.getByLabelText('Return to step');
    await screen.findByRole('alert');
    expect(to).toHaveAttribute('aria-invalid', 'true');
    expect(to).toHaveAccessibleDescription(expect.stringContaining('The record has not passed this step yet'));
    expect(screen.getByLabelText('User')).not.toHaveAttribute('aria-invalid');
  });

  it('explains in words a task closed meanwhile, and reads it again', async () => {
    let reads = 0;
    const { server } = renderInbox('/tasks/t1', {
      'GET /api/v1/t/demo/tasks/t1': () => {
        reads++;
        return { body: reads === 1 ? task('t1') : task('t1', { status: 'completed', outcome: 'approve', version: 3 }) };
      },
      'POST /api/v1/t/demo/tasks/t1/actions': () => apiError(409, 'task_closed', 'The task is already closed.'),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This task is already closed: someone else decided it or it was cancelled.');
    expect(await screen.findByText('The task has been reloaded: check what changed before you act again.')).toBeInTheDocument();
    expect(await screen.findByText('This task is closed.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(server.sent.filter((r) => r.path === '/api/v1/t/demo/tasks/t1')).toHaveLength(2);
  });

  it('claims, then approves with the changed field only, and refreshes the counts', async () => {
    let current = task('t1');
    const { server } = renderInbox('/tasks/t1', {
      'GET /api/v1/t/demo/tasks/t1': () => ({ body: current }),
      'POST /api/v1/t/demo/tasks/t1/actions': (req) => {
        const body = req.body as { kind: string };
        current =
          body.kind === 'claim'
            ? { ...current, assignee: reviewer.id, version: 2 }
            : { ...current, status: 'completed', outcome: 'approve', version: 3 };
        return { body: current };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Claim' }));
    expect(await screen.findByText('You hold this task now.')).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('button', { name: 'Claim' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Approved limit'), '150000');
    await user.type(screen.getByLabelText('Comment'), 'Income verified');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved.')).toBeInTheDocument();
    const posts = server.sent.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(posts).toEqual([
      { kind: 'claim', version: 1 },
      { kind: 'approve', version: 2, comment: 'Income verified', fields: { approved_limit: 150000 } },
    ]);
    expect(server.sent.filter((r) => r.path.endsWith('/tasks/counts')).length).toBeGreaterThanOrEqual(3);
  });
});
