import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import loanApplication from '../../../../schemas/templates/lending/loan_application.json';
import loanRules from '../../../../schemas/templates/lending/rules/loan_application.json';
import type { FormAccess, Principal } from '../../core/api/types';
import type { JsonObject } from '../../core/designer/types';
import { renderApp } from '../../../test/renderApp';
import { definitionServer } from '../flowdesigner/definitionServer';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };
const access: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application' }, create: true, read: true, update: true, delete: true, export: true, row_scoped: false, fields: [],
};
const record = (id: string, amount: number) => ({ id, form: 'loan_application', form_version: 1, version: 1, created_at: '2026-05-01T08:00:00Z', updated_at: '2026-05-01T08:00:00Z', created_by: 'u-1', data: { amount } });
const held = {
  rule: 'rule', enabled: true, condition: '(has(record.amount) && record.amount > 100000.0)', outcome: 'true',
  leaves: [{ path: '/rules/6/condition/all/0', field: 'amount', op: 'gt', cel: 'has(record.amount) && record.amount > 100000.0', outcome: 'true' }],
  fires: true, actions: [{ type: 'flag', flag: 'large_amount' }],
};

function renderRules(start: Parameters<typeof definitionServer>[2]) {
  const fake = definitionServer('rule', 'loan_application', start);
  const view = renderApp({
    url: '/designer/rules/loan_application',
    user: admin,
    routes: {
      ...fake.routes,
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/definitions/form/loan_application/versions/1': () => ({ body: { kind: 'form', key: 'loan_application', version: 1, published_at: '2026-04-01T08:00:00Z', body: loanApplication } }),
      'GET /api/v1/t/demo/forms/loan_application/records': () => ({ body: { records: [record('r-small', 5000), record('r-big', 250000)] } }),
      'GET /api/v1/t/demo/definitions/flow': () => ({ body: { definitions: [] } }),
      'POST /api/v1/t/demo/forms/loan_application/rules/dry-run': () => ({ body: held }),
    },
  });
  const puts = () => view.server.sent.filter((r) => r.method === 'PUT').map((r) => r.body as JsonObject);
  return { ...view, state: fake.state, puts, user: userEvent.setup() };
}

const editor = () => screen.getByRole('region', { name: 'Rule' });
const leaf = (n: string) => within(editor()).getByRole('group', { name: `Comparison ${n}` });

describe('RulesPage', () => {
  it('lists the rules and saves the set unchanged as the very JSON it read', async () => {
    const { user, puts } = renderRules({ versions: [structuredClone(loanRules) as JsonObject] });
    expect(await screen.findByRole('heading', { name: 'Rules: Loan application', level: 1 })).toBeInTheDocument();
    const list = screen.getByRole('navigation', { name: 'Rules' });
    expect(within(list).getAllByRole('button', { pressed: false }).length + 1).toBeGreaterThan(5);
    // The first rule is open, its visual condition in the builder.
    expect(within(leaf('1')).getByLabelText('Field')).toHaveValue('credit_score.score');
    expect(within(leaf('1')).getByLabelText('Comparison')).toHaveValue('lt');
    expect(within(leaf('1')).getByLabelText('Value')).toHaveValue('400');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/Draft saved; ready to publish\./);
    expect(JSON.stringify(puts()[0])).toBe(JSON.stringify(loanRules));
  });

  it('adds a rule with the visual builder, dry-runs it unsaved against a record and shows what held', async () => {
    const { user, puts, server } = renderRules({ draft: structuredClone(loanRules) as JsonObject });
    await screen.findByRole('heading', { name: 'Rules: Loan application', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Add a rule' }));
    const key = within(editor()).getByLabelText('Key');
    await user.clear(key);
    await user.type(key, 'large_amount');
    const title = within(editor()).getByLabelText('Title (English)');
    await user.clear(title);
    await user.type(title, 'Flag large amounts');
    await user.click(within(editor()).getByRole('button', { name: 'Add a comparison' }));
    await user.selectOptions(within(leaf('1')).getByLabelText('Field'), 'amount');
    await user.selectOptions(within(leaf('1')).getByLabelText('Comparison'), 'gt');
    await user.type(within(leaf('1')).getByLabelText('Value'), '100000');
    const flag = within(editor()).getByLabelText('Flag');
    await user.clear(flag);
    await user.type(flag, 'large_amount');

    // The record chosen shows the value the condition reads.
    const pick = screen.getByLabelText('Record');
    expect(within(pick).getByRole('option', { name: /r-big · Amount \(CNY\) \(amount\): 250000/ })).toBeInTheDocument();
    await user.selectOptions(pick, 'r-big');
    await user.click(screen.getByRole('button', { name: 'Dry run' }));
    const result = await screen.findByText('The condition holds.');
    expect(result).toBeInTheDocument();
    expect(screen.getByText('The rule would fire on this record.')).toBeInTheDocument();
    expect(screen.getByText('flag it large_amount')).toBeInTheDocument();
    const sent = server.sent.find((r) => r.path.endsWith('/rules/dry-run'))!.body as { rule: string; record_id: string; definition: { rules: JsonObject[] } };
    expect(sent.rule).toBe('large_amount');
    expect(sent.record_id).toBe('r-big');
    expect(sent.definition.rules.at(-1)).toEqual({
      key: 'large_amount',
      title: { 'zh-CN': '新规则', en: 'Flag large amounts' },
      trigger: { on: 'record.created' },
      condition: { all: [{ field: 'amount', op: 'gt', value: 100000 }] },
      actions: [{ type: 'flag', flag: 'large_amount' }],
    });
    // Nothing was saved by trying.
    expect(puts()).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect((puts()[0]!['rules'] as JsonObject[]).at(-1)).toEqual(sent.definition.rules.at(-1));
  });

  it('turns a tree into its CEL text and back; text that is no tree stays text', async () => {
    const { user } = renderRules({ draft: structuredClone(loanRules) as JsonObject });
    await screen.findByRole('heading', { name: 'Rules: Loan application', level: 1 });
    await user.click(within(editor()).getByRole('radio', { name: 'Expression (CEL)' }));
    const text = within(editor()).getByLabelText('CEL expression');
    expect(text).toHaveValue('(has(record.credit_score.score) && record.credit_score.score < 400)');
    await user.clear(text);
    await user.type(text, 'has(record.amount) && record.amount >= 5000 || has(record.channel) && record.channel == "online"');
    await user.click(within(editor()).getByRole('radio', { name: 'Conditions' }));
    expect(within(editor()).getByLabelText('Join')).toHaveValue('any');
    expect(within(leaf('1')).getByLabelText('Field')).toHaveValue('amount');
    expect(within(leaf('1')).getByLabelText('Comparison')).toHaveValue('gte');
    expect(within(leaf('2')).getByLabelText('Value')).toHaveValue('online');

    // A rule whose condition is hand-written CEL.
    await user.click(screen.getByRole('button', { name: 'Reject blacklist hits' }));
    expect(within(editor()).getByLabelText('CEL expression')).toHaveValue('record.fraud_check.hits.exists(h, h.rule.startsWith("blacklist."))');
    await user.click(within(editor()).getByRole('radio', { name: 'Conditions' }));
    expect(within(editor()).getByText('This expression cannot be shown as conditions, so it stays an expression.')).toBeInTheDocument();
    expect(within(editor()).getByRole('radio', { name: 'Expression (CEL)' })).toBeChecked();
  });

  it('places the server’s problems on the comparison they name', async () => {
    const fake = definitionServer('rule', 'loan_application', { draft: structuredClone(loanRules) as JsonObject }, () => [
      { path: '/rules/0/condition/all/0/value', code: 'value_type', message: 'must be a integer value', params: { want: 'integer' } },
    ]);
    const view = renderApp({
      url: '/designer/rules/loan_application',
      user: admin,
      routes: {
        ...fake.routes,
        'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
        'GET /api/v1/t/demo/definitions/form/loan_application/versions/1': () => ({ body: { kind: 'form', key: 'loan_application', version: 1, published_at: '', body: loanApplication } }),
        'GET /api/v1/t/demo/forms/loan_application/records': () => ({ body: { records: [] } }),
      },
    });
    expect(await screen.findByText('One problem stops this draft from publishing; the rule concerned is marked.')).toBeInTheDocument();
    expect(within(leaf('1')).getByLabelText('Value')).toHaveAttribute('aria-invalid', 'true');
    expect(within(leaf('1')).getByText('The value does not fit the field: must be a integer value')).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Rules' })).getByText('Problems: 1')).toBeInTheDocument();
    view.unmount();
  });
});
