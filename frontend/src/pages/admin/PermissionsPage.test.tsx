import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Permission, Role } from '../../core/api/adminEndpoints';
import type { FormAccess } from '../../core/api/types';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };

const loans: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application' },
  create: true, read: true, update: true, delete: true, export: true, row_scoped: false,
  fields: [
    { name: 'applicant_name', view: 'full', write: true, label: { en: 'Applicant name' } },
    { name: 'mobile_phone', view: 'full', write: true, sensitive: true, label: { en: 'Mobile phone' } },
    { name: 'monthly_income', view: 'full', write: true, label: { en: 'Monthly income' } },
    { name: 'risk_score', view: 'full', write: false, computed: true, label: { en: 'Risk score' } },
    {
      name: 'emergency_contacts', view: 'full', write: true, label: { en: 'Emergency contacts' }, widget: 'subtable', remove_rows: true,
      columns: [
        { name: 'name', view: 'full', write: true, label: { en: 'Name' } },
        { name: 'relation', view: 'full', write: true, label: { en: 'Relation' } },
        { name: 'phone', view: 'full', write: true, sensitive: true, label: { en: 'Mobile phone' } },
      ],
    },
  ],
};

const role = (key: string, name: string, extra: Partial<Role> = {}): Role => ({
  key, name, built_in: false, created_at: '', updated_at: '', ...extra,
});
const roles = [role('admin', 'Administrator', { built_in: true }), role('collector', 'Collector')];

const allow = (object: string, action: string): Permission => ({ object, action, effect: 'allow' });
const deny = (object: string, action: string): Permission => ({ object, action, effect: 'deny' });

// Sorted as the server answers (object, action, effect).
const collector: Permission[] = [
  allow('admin:tasks', 'read'),
  allow('form:loan_application', 'read'),
  allow('form:loan_application/*', 'read'),
  deny('form:loan_application/field:mobile_phone', 'read'),
  allow('form:loan_application/field:mobile_phone', 'read_masked'),
  deny('form:loan_application/field:monthly_income', 'read'),
];

const base = '/api/v1/t/demo';

function renderGrid(routes: Record<string, Handler> = {}) {
  return renderApp({
    url: '/admin/permissions?form=loan_application',
    user: admin,
    routes: {
      [`GET ${base}/forms`]: () => ({ body: { forms: [loans] } }),
      [`GET ${base}/forms/loan_application/access`]: () => ({ body: loans }),
      [`GET ${base}/roles`]: () => ({ body: { roles } }),
      [`GET ${base}/roles/admin/permissions`]: () => ({ body: { permissions: [allow('*', '*')] } }),
      [`GET ${base}/roles/collector/permissions`]: () => ({ body: { permissions: collector, revision: 7 } }),
      ...routes,
    },
  });
}

const cell = (field: string, roleName: string) => screen.getByRole('combobox', { name: `${field} for ${roleName}` });
const columnCell = (column: string, roleName: string) => cell(`Emergency contacts: ${column}`, roleName);

describe('PermissionsPage', () => {
  it('shows each role’s level per field, wildcards and denies included, the admin role read-only', async () => {
    renderGrid();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    expect(cell('Applicant name', 'Collector')).toHaveDisplayValue('Read');
    expect(cell('Mobile phone', 'Collector')).toHaveDisplayValue('Masked');
    expect(cell('Monthly income', 'Collector')).toHaveDisplayValue('Hidden');
    expect(cell('Applicant name', 'Administrator')).toHaveDisplayValue('Edit');
    expect(cell('Applicant name', 'Administrator')).toBeDisabled();
    // A computed field is never written: no "Edit" to offer.
    expect(within(cell('Risk score', 'Collector')).queryByRole('option', { name: 'Edit' })).not.toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Read for Collector' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Export for Collector' })).not.toBeChecked();
    expect(screen.getByRole('combobox', { name: 'Form' })).toHaveDisplayValue('Loan application');
  });

  it('sends the role’s rules with only the changed cells’ rules replaced, after checking nobody changed them', async () => {
    const { server } = renderGrid({
      [`PUT ${base}/roles/collector/permissions`]: (req) => ({ body: req.body }),
    });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    const save = screen.getByRole('button', { name: 'Save changes (0)' });
    expect(save).toBeDisabled();
    await user.selectOptions(cell('Applicant name', 'Collector'), 'Hidden');
    await user.selectOptions(cell('Monthly income', 'Collector'), 'Read');
    await user.click(screen.getByRole('checkbox', { name: 'Export for Collector' }));
    await user.click(screen.getByRole('button', { name: 'Save changes (3)' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Saved: Collector.');

    const gets = server.sent.filter((r) => r.method === 'GET' && r.path === `${base}/roles/collector/permissions`);
    expect(gets).toHaveLength(2);
    const puts = server.sent.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`${base}/roles/collector/permissions`]);
    expect(puts[0]!.body).toEqual({
      permissions: [
        allow('admin:tasks', 'read'),
        allow('form:loan_application', 'read'),
        allow('form:loan_application/*', 'read'),
        deny('form:loan_application/field:mobile_phone', 'read'),
        allow('form:loan_application/field:mobile_phone', 'read_masked'),
        // monthly_income's deny is gone (the wildcard reads it); applicant_name gets its own deny.
        deny('form:loan_application/field:applicant_name', 'read'),
        allow('form:loan_application', 'export'),
      ],
      revision: 7,
    });
    expect(server.sent.some((r) => r.method === 'PATCH')).toBe(false);
    expect(cell('Applicant name', 'Collector')).toHaveDisplayValue('Hidden');
    expect(screen.getByRole('button', { name: 'Save changes (0)' })).toBeDisabled();
  });

  it('places the server’s problems on the cell that wrote the refused rule, and the others on the role', async () => {
    renderGrid({
      [`PUT ${base}/roles/collector/permissions`]: () =>
        apiError(422, 'validation_failed', 'The request is not valid; see fields.', {
          fields: [
            { path: '/permissions/5/action', code: 'action_not_allowed', message: 'a field takes only read, read_masked, update or *' },
            { path: '/permissions/0/object', code: 'invalid_object', message: '"admin:tasks" is not an object' },
          ],
        }),
    });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    await user.selectOptions(cell('Monthly income', 'Collector'), 'Edit');
    await user.click(screen.getByRole('button', { name: 'Save changes (1)' }));
    // Rules 0–4 are kept, monthly_income's deny is dropped and its update allow comes next, at 5.
    const income = cell('Monthly income', 'Collector');
    await vi.waitFor(() => expect(income).toHaveAttribute('aria-invalid', 'true'));
    expect(income).toHaveAccessibleDescription('The server refused this rule: a field takes only read, read_masked, update or *');
    expect(income).toHaveDisplayValue('Edit');
    expect(cell('Applicant name', 'Collector')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByText('The server refused this rule: "admin:tasks" is not an object')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('puts a refused rule on its cell, and a refused row scope on its input, in words', async () => {
    const { server } = renderGrid({
      [`PUT ${base}/roles/collector/permissions`]: () =>
        apiError(422, 'validation_failed', 'The request is not valid; see fields.', {
          fields: [{ path: '/permissions/7', code: 'duplicate', message: 'the same object and action as entry 4' }],
        }),
      [`PATCH ${base}/roles/collector`]: () =>
        apiError(422, 'validation_failed', 'A row scope cannot be applied; see fields.', {
          fields: [{ path: '/row_scopes/loan_application', code: 'cel_type', message: "line 1, column 7: undefined field 'nope'" }],
        }),
    });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    await user.selectOptions(cell('Applicant name', 'Collector'), 'Masked');
    await user.type(screen.getByRole('textbox', { name: 'Row scope for Collector' }), 'record.nope == 1');
    await user.click(screen.getByRole('button', { name: 'Save changes (2)' }));

    const scope = screen.getByRole('textbox', { name: 'Row scope for Collector' });
    await vi.waitFor(() => expect(scope).toHaveAttribute('aria-invalid', 'true'));
    expect(scope).toHaveAccessibleDescription("The expression does not fit the form: line 1, column 7: undefined field 'nope'");
    // The masked cell wrote rules 6 (deny read) and 7 (allow read_masked): the problem of rule 7 is its.
    expect(cell('Applicant name', 'Collector')).toHaveAttribute('aria-invalid', 'true');
    expect(cell('Applicant name', 'Collector')).toHaveAccessibleDescription('Listed twice.');
    expect(cell('Mobile phone', 'Collector')).not.toHaveAttribute('aria-invalid');
    const patch = server.sent.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({ row_scopes: { loan_application: 'record.nope == 1' } });
    expect(screen.getByRole('button', { name: 'Save changes (2)' })).toBeEnabled();
  });

  it('says so in words when the server refuses a change made after its re-read', async () => {
    let reads = 0;
    renderGrid({
      [`GET ${base}/roles/collector/permissions`]: () => ({
        body: { permissions: reads++ < 2 ? collector : [...collector, allow('form:loan_application', 'export')], revision: reads },
      }),
      [`PUT ${base}/roles/collector/permissions`]: () => apiError(409, 'stale_permissions', 'The permissions were changed by someone else.'),
    });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    await user.selectOptions(cell('Applicant name', 'Collector'), 'Hidden');
    await user.click(screen.getByRole('button', { name: 'Save changes (1)' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone changed this role’s permissions since you opened the grid');
    expect(await screen.findByRole('checkbox', { name: 'Export for Collector' })).toBeChecked();
    expect(cell('Applicant name', 'Collector')).toHaveDisplayValue('Hidden');
  });

  it('refuses to overwrite rules someone changed meanwhile, and shows them', async () => {
    let reads = 0;
    const { server } = renderGrid({
      [`GET ${base}/roles/collector/permissions`]: () => ({
        body: { permissions: reads++ === 0 ? collector : [...collector, allow('form:loan_application', 'export')] },
      }),
    });
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Permissions on Loan application' });
    await user.selectOptions(cell('Applicant name', 'Collector'), 'Hidden');
    await user.click(screen.getByRole('button', { name: 'Save changes (1)' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone changed this role’s permissions since you opened the grid');
    expect(server.sent.some((r) => r.method === 'PUT')).toBe(false);
    expect(screen.getByRole('checkbox', { name: 'Export for Collector' })).toBeChecked();
    expect(cell('Applicant name', 'Collector')).toHaveDisplayValue('Hidden');
  });

  describe('sub-table columns', () => {
    const contacts = 'form:loan_application/field:emergency_contacts';
    const reader: Permission[] = [
      allow('form:loan_application', 'read'),
      allow('form:loan_application/*', 'read'),
      deny(`${contacts}.phone`, 'read'),
      allow(`${contacts}.phone`, 'read_masked'),
    ];
    const renderReader = (routes: Record<string, Handler> = {}) =>
      renderGrid({ [`GET ${base}/roles/collector/permissions`]: () => ({ body: { permissions: reader, revision: 3 } }), ...routes });

    it('lists each column under its table with its effective level, the table’s unsaved level included', async () => {
      renderReader();
      const user = userEvent.setup();
      await screen.findByRole('table', { name: 'Permissions on Loan application' });
      const rows = screen.getAllByRole('rowheader').map((h) => h.textContent);
      const at = rows.findIndex((r) => r?.startsWith('Emergency contacts'));
      expect(rows.slice(at, at + 4)).toEqual([
        'Emergency contactsemergency_contacts · table: its columns follow it unless set below',
        'Nameemergency_contacts.name',
        'Relationemergency_contacts.relation',
        'Mobile phoneemergency_contacts.phone · sensitive',
      ]);
      expect(cell('Emergency contacts', 'Collector')).toHaveDisplayValue('Read');
      expect(columnCell('Name', 'Collector')).toHaveDisplayValue('Read');
      expect(columnCell('Mobile phone', 'Collector')).toHaveDisplayValue('Masked');
      expect(columnCell('Name', 'Administrator')).toHaveDisplayValue('Edit');

      await user.selectOptions(cell('Emergency contacts', 'Collector'), 'Edit');
      // The table's update covers every column that says nothing of its own about it.
      expect(columnCell('Name', 'Collector')).toHaveDisplayValue('Edit');
      expect(columnCell('Relation', 'Collector')).toHaveDisplayValue('Edit');
      expect(columnCell('Mobile phone', 'Collector')).toHaveDisplayValue('Masked, editable');
      expect(screen.getByRole('button', { name: 'Save changes (1)' })).toBeEnabled();
    });

    it('writes a table set to edit with one column hidden and one read-only as the table’s allows and the columns’ denies', async () => {
      const { server } = renderReader({ [`PUT ${base}/roles/collector/permissions`]: (req) => ({ body: req.body }) });
      const user = userEvent.setup();
      await screen.findByRole('table', { name: 'Permissions on Loan application' });
      // A column chosen before its table keeps its choice when the table changes.
      await user.selectOptions(columnCell('Mobile phone', 'Collector'), 'Hidden');
      await user.selectOptions(cell('Emergency contacts', 'Collector'), 'Edit');
      expect(columnCell('Mobile phone', 'Collector')).toHaveDisplayValue('Hidden');
      // A column that follows its table shows the table's new level until set apart.
      expect(columnCell('Relation', 'Collector')).toHaveDisplayValue('Edit');
      await user.selectOptions(columnCell('Relation', 'Collector'), 'Read');
      await user.click(screen.getByRole('button', { name: 'Save changes (3)' }));
      expect(await screen.findByRole('status')).toHaveTextContent('Saved: Collector.');
      const put = server.sent.find((r) => r.method === 'PUT');
      expect(put?.body).toEqual({
        permissions: [
          allow('form:loan_application', 'read'),
          allow('form:loan_application/*', 'read'),
          deny(`${contacts}.phone`, 'read'),
          allow(contacts, 'update'),
          deny(`${contacts}.phone`, 'update'),
          deny(`${contacts}.relation`, 'update'),
        ],
        revision: 3,
      });
      expect(columnCell('Name', 'Collector')).toHaveDisplayValue('Edit');
      expect(columnCell('Relation', 'Collector')).toHaveDisplayValue('Read');
      expect(columnCell('Mobile phone', 'Collector')).toHaveDisplayValue('Hidden');
    });

    it('offers no column level a table’s deny forbids, and saves nothing when a table change blocks a chosen one', async () => {
      const { server } = renderReader();
      const user = userEvent.setup();
      await screen.findByRole('table', { name: 'Permissions on Loan application' });
      await user.selectOptions(columnCell('Name', 'Collector'), 'Edit');
      await user.selectOptions(cell('Emergency contacts', 'Collector'), 'Hidden');
      const name = columnCell('Name', 'Collector');
      expect(name).toHaveDisplayValue('Edit');
      expect(name).toHaveAttribute('aria-invalid', 'true');
      expect(name).toHaveAccessibleDescription(/^Not possible: a deny on the whole table/);
      expect(within(columnCell('Relation', 'Collector')).getByRole('option', { name: 'Read' })).toBeDisabled();
      await user.click(screen.getByRole('button', { name: 'Save changes (2)' }));
      await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Save changes (2)' })).toBeEnabled());
      expect(server.sent.some((r) => r.method === 'PUT')).toBe(false);
      expect(screen.queryByRole('status')).not.toBeInTheDocument();
      expect(name).toHaveAttribute('aria-invalid', 'true');
    });
  });
});

