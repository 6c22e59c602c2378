import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuditEntry, AuditVerification } from '../../core/api/adminEndpoints';
import type { Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };
const base = '/api/v1/t/demo';

const entry = (seq: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  seq, time: '2026-11-23T09:00:00Z', actor: 'u-7', action: 'policy_change', object: 'role:collector/permissions', hash: 'h' + seq, ...extra,
});

const verified: AuditVerification = { ok: true, entries: 142, head_seq: 142, head_hash: '645271e6d286d23567e5', problems: null };

function renderAudit(verify: () => AuditVerification, routes: Record<string, Handler> = {}) {
  return renderApp({
    url: '/admin/audit',
    user: admin,
    routes: {
      [`GET ${base}/audit/verify`]: () => ({ body: verify() }),
      [`GET ${base}/audit`]: (req) =>
        req.query.get('cursor') === 'c2'
          ? { body: { entries: [entry(140, { actor: 'system', action: 'update', diff: { status: { to: 'approved' } }, object: 'form:loan_application/record:r1' })] } }
          : { body: { entries: [entry(142), entry(141, { action: 'login', object: 'user:u-7' })], next: 'c2' } },
      [`GET ${base}/users`]: () => ({
        body: { users: [{ id: 'u-7', tenant: 'demo', email: 'admin@demo.credo', name: 'Demo administrator', roles: ['admin'], disabled: false, created_at: '', updated_at: '' }] },
      }),
      ...routes,
    },
  });
}

describe('AuditPage', () => {
  it('says in words that the chain is verified, and lists the entries with who did what', async () => {
    const { server } = renderAudit(() => verified);
    const check = await screen.findByRole('region', { name: 'Integrity of the log' });
    const status = await within(check).findByRole('status');
    expect(status).toHaveTextContent('Verified');
    expect(status).toHaveTextContent('All 142 entries are intact and in order; the chain ends at entry 142 (645271e6d286…).');
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    const first = within(table).getAllByRole('row')[1]!;
    expect(first).toHaveTextContent('Demo administrator');
    expect(first).toHaveTextContent('Changed permissions');
    expect(first).toHaveTextContent('role:collector/permissions');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    await within(table).findByText('Changed: status');
    expect(within(table).getAllByRole('row').at(-1)).toHaveTextContent('the system');
    expect(server.sent.filter((r) => r.path === `${base}/audit`).map((r) => r.query.get('cursor'))).toEqual([null, 'c2']);
  });

  it('says in words when the chain is broken, entry by entry, and checks again on request', async () => {
    let calls = 0;
    const { server } = renderAudit(() =>
      calls++ === 0
        ? { ok: false, entries: 142, head_seq: 142, head_hash: 'x', problems: [{ seq: 17, message: 'hash does not match the content' }] }
        : verified,
    );
    expect(await screen.findByText('Not intact')).toBeInTheDocument();
    expect(screen.getByText('1 problems among 142 entries: entries were altered, removed or reordered.')).toBeInTheDocument();
    expect(screen.getByText('Entry 17: hash does not match the content')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText('Verified')).toBeInTheDocument();
    expect(server.sent.filter((r) => r.path === `${base}/audit/verify`)).toHaveLength(2);
  });

  it('sends the filters the server supports, whole days in the reader’s time zone', async () => {
    const { server } = renderAudit(() => verified);
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Audit entries' });
    await screen.findByRole('option', { name: 'Demo administrator <admin@demo.credo>' });
    await user.type(screen.getByLabelText('Object starts with'), 'role:');
    // user-event matches an option by value or markup; the markup escapes "<".
    await user.selectOptions(screen.getByLabelText('Person'), screen.getByRole('option', { name: 'Demo administrator <admin@demo.credo>' }));
    await user.selectOptions(screen.getByLabelText('Action'), 'Changed permissions');
    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await vi.waitFor(() => expect(server.sent.filter((r) => r.path === `${base}/audit`).length).toBeGreaterThan(1));
    const last = server.sent.filter((r) => r.path === `${base}/audit`).at(-1)!;
    expect(Object.fromEntries(last.query)).toEqual({
      object: 'role:', actor: 'u-7', action: 'policy_change', from: new Date(2026, 10, 1).toISOString(), limit: '50',
    });
  });
});
