import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormRecord, Principal } from '../../core/api/types';
import { accessOf, clerkAccess, template } from '../../core/entry/testForms';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';

const admin: Principal = { id: 'u-9', email: 'admin@demo.credo', name: 'Admin', tenant: 'demo', roles: ['admin'], platform_admin: false };
const customer = template('customer');
const base = '/api/v1/t/demo/forms/customer';

const stored = (version: number, data: Record<string, unknown>): FormRecord => ({
  id: 'c1', form: 'customer', form_version: 1, version, created_at: '2026-05-01T08:00:00Z', updated_at: '2026-05-02T08:00:00Z', created_by: 'u-9', data,
});

function renderEntry(url: string, routes: Record<string, Handler>, opts: { schema?: boolean; masked?: string[] } = {}) {
  const masked = new Set(opts.masked ?? []);
  const access = accessOf(customer, (n) => (masked.has(n) ? { view: 'masked', write: true } : { view: 'full', write: true }));
  if (opts.schema === false) {
    delete access.schema;
    delete access.layout;
  }
  return renderApp({
    url,
    user: admin,
    routes: {
      [`GET ${base}/access`]: () => ({ body: access }),
      ...routes,
    },
  });
}

const problemsOf = (input: HTMLElement) => document.getElementById(input.getAttribute('aria-describedby')?.split(' ').pop() ?? '')?.textContent;

describe('RecordEntryPage', () => {
  it('catches mistakes in the browser before anything is sent', async () => {
    const { server } = renderEntry('/forms/customer/records/new', {});
    const name = await screen.findByLabelText('Customer name *');
    const user = userEvent.setup();
    await user.type(name, 'x');
    await user.type(screen.getByLabelText('Mobile phone *'), '12345');
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Create record' }));

    expect(await screen.findByText('Some values need attention; see the marked fields. Nothing was sent.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(problemsOf(name)).toBe('At least 2 characters.');
    expect(problemsOf(screen.getByLabelText('Mobile phone *'))).toBe('Not a valid phone number.');
    expect(problemsOf(screen.getByLabelText('Email'))).toBe('Not a valid email address.');
    expect(within(screen.getByRole('group', { name: 'Customer type *' })).getByText('Required.')).toBeInTheDocument();
    expect(document.activeElement).toBe(name);
    expect(server.sent.some((r) => r.method === 'POST')).toBe(false);

    // Correcting a field clears its problem at once.
    await user.type(name, 'yz');
    expect(name).not.toHaveAttribute('aria-invalid');
  });

  it('says the browser’s findings in Chinese too', async () => {
    renderApp({
      url: '/forms/customer/records/new',
      user: admin,
      language: 'zh-CN',
      routes: {
        [`GET ${base}/access`]: () => ({ body: accessOf(customer) }),
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('手机号码 *'), '123');
    await user.click(screen.getByRole('button', { name: '创建记录' }));
    expect(problemsOf(await screen.findByLabelText('手机号码 *'))).toBe('不是有效的电话号码。');
    expect(problemsOf(screen.getByLabelText('客户姓名 *'))).toBe('必填。');
  });

  it('places the server’s problems on their fields, then creates the record', async () => {
    let calls = 0;
    const { server } = renderEntry('/forms/customer/records/new', {
      [`POST ${base}/records`]: (req) =>
        ++calls === 1
          ? apiError(422, 'validation_failed', 'The record is not valid; see fields.', { fields: [{ path: '/id_number', code: 'pattern', message: 'is not a valid resident ID number' }] })
          : { status: 201, body: stored(1, req.body as Record<string, unknown>) },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Customer name *'), '王芳');
    await user.click(screen.getByRole('radio', { name: 'Individual' }));
    await user.type(screen.getByLabelText('ID number *'), '110101199003071234');
    await user.type(screen.getByLabelText('Mobile phone *'), '13800000000');
    await user.click(screen.getByRole('button', { name: 'Create record' }));

    const id = screen.getByLabelText('ID number *');
    await waitFor(() => expect(id).toHaveAttribute('aria-invalid', 'true'));
    expect(problemsOf(id)).toBe('Not a valid resident ID number.');
    expect(screen.getByText('The server refused some values; see the marked fields.')).toBeInTheDocument();
    expect(server.sent.find((r) => r.method === 'POST')?.body).toEqual({
      name: '王芳', customer_type: 'individual', id_number: '110101199003071234', mobile_phone: '13800000000',
    });

    await user.clear(id);
    await user.type(id, '11010119900307123X');
    await user.click(screen.getByRole('button', { name: 'Create record' }));
    expect(await screen.findByText('Record created.')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Customer: record' })).toBeInTheDocument();
  });

  it('keeps who may create but not read on the page, ready for the next record', async () => {
    const access = { ...accessOf(customer), read: false };
    renderApp({
      url: '/forms/customer/records/new',
      user: admin,
      routes: {
        [`GET ${base}/access`]: () => ({ body: access }),
        [`POST ${base}/records`]: (req) => ({ status: 201, body: stored(1, req.body as Record<string, unknown>) }),
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Customer name *'), '王芳');
    await user.click(screen.getByRole('radio', { name: 'Individual' }));
    await user.type(screen.getByLabelText('ID number *'), '11010119900307123X');
    await user.type(screen.getByLabelText('Mobile phone *'), '13800000000');
    await user.click(screen.getByRole('button', { name: 'Create record' }));
    expect(await screen.findByText('Record created.')).toBeInTheDocument();
    expect(screen.getByLabelText('Customer name *')).toHaveValue('');
  });

  it('on a version conflict shows their value and yours, and saves with the new version', async () => {
    const read = stored(1, { name: '王芳', customer_type: 'individual', id_number: '110101199003071234', mobile_phone: '13800000000', address: '北京市朝阳区一号', notes: 'first' });
    const latest = stored(2, { ...read.data, address: '北京市海淀区二号', notes: 'checked by phone' });
    const patches: unknown[] = [];
    let current = read;
    renderEntry('/forms/customer/records/c1/edit', {
      [`GET ${base}/records/c1`]: () => ({ body: current }),
      [`PATCH ${base}/records/c1`]: (req) => {
        patches.push(req.body);
        const { version, data } = req.body as { version: number; data: Record<string, unknown> };
        if (version !== 2) {
          current = latest;
          return apiError(409, 'version_conflict', 'The record was changed by someone else; reload it and try again.');
        }
        return { body: stored(3, { ...latest.data, ...data }) };
      },
    });
    const user = userEvent.setup();
    const address = await screen.findByLabelText('Address');
    expect(address).toHaveValue('北京市朝阳区一号');
    await user.clear(address);
    await user.type(address, '上海市浦东新区三号');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const panel = await screen.findByRole('region', { name: 'Someone else saved this record meanwhile' });
    const addressRow = within(panel).getByRole('row', { name: /Address/ });
    expect(within(addressRow).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      '北京市海淀区二号', '上海市浦东新区三号 · You changed it too.', 'AddressKeep mineTake theirs',
    ]);
    expect(within(addressRow).getByRole('radio', { name: 'Keep mine' })).toBeChecked();
    const notesRow = within(panel).getByRole('row', { name: /Notes/ });
    expect(within(notesRow).getByRole('radio', { name: 'Take theirs' })).toBeChecked();
    await user.click(within(panel).getByRole('button', { name: 'Use these values' }));

    expect(screen.getByLabelText('Notes')).toHaveValue('checked by phone');
    expect(screen.getByText('Your choices are in the form: check them and save on top of version 2.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved (version 3).')).toBeInTheDocument();
    expect(patches).toEqual([
      { version: 1, data: { address: '上海市浦东新区三号' } },
      { version: 2, data: { address: '上海市浦东新区三号' } },
    ]);
  });

  it('without a schema, lets the server check, and never sends masked fields', async () => {
    const read = stored(4, { name: '王芳', customer_type: 'individual', mobile_phone: '138****0000', notes: 'a' });
    const patches: unknown[] = [];
    renderEntry(
      '/forms/customer/records/c1/edit',
      {
        [`GET ${base}/records/c1`]: () => ({ body: read }),
        [`PATCH ${base}/records/c1`]: (req) => {
          patches.push(req.body);
          return { body: stored(5, read.data) };
        },
      },
      { schema: false, masked: ['mobile_phone'] },
    );
    expect(await screen.findByText(/they are checked when you save/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Mobile phone')).not.toBeInTheDocument();
    expect(screen.getByText('138****0000')).toBeInTheDocument();
    expect(screen.getByText('Shown masked: you cannot change it.')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Nothing has changed: there is nothing to save.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Notes'), 'b');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes saved (version 5).');
    expect(patches).toEqual([{ version: 4, data: { notes: 'ab' } }]);
  });

  it('draws a clerk’s form from their access answer alone and checks it in the browser', async () => {
    const clerk: Principal = { id: 'u-7', email: 'clerk@acme.test', name: 'Clerk', tenant: 'demo', roles: ['clerk'], platform_admin: false };
    const { server } = renderApp({
      url: '/forms/loan_application/records/new',
      user: clerk,
      routes: { 'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: clerkAccess() }) },
    });
    const name = await screen.findByLabelText('Applicant name *');
    const finances = screen.getByRole('group', { name: 'Income and debts' });
    expect(within(finances).getByLabelText('Total credit card limit (CNY)')).toBeInTheDocument();
    expect(within(finances).queryByLabelText(/Monthly income/)).not.toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Identity' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Emergency contacts' })).toBeInTheDocument();
    expect(screen.queryByText(/they are checked when you save/)).not.toBeInTheDocument();

    const user = userEvent.setup();
    await user.type(name, 'x');
    await user.type(screen.getByLabelText('Amount (CNY) *'), '10');
    await user.click(screen.getByRole('button', { name: 'Create record' }));
    expect(await screen.findByText('Some values need attention; see the marked fields. Nothing was sent.')).toBeInTheDocument();
    expect(problemsOf(name)).toBe('At least 2 characters.');
    expect(screen.getByLabelText('Amount (CNY) *')).toHaveAttribute('aria-invalid', 'true');
    expect(server.sent.map((r) => `${r.method} ${r.path}`).filter((r) => r.includes('/definitions/') || r.startsWith('POST'))).toEqual([]);
  });

  describe('a sub-table whose columns have rights of their own', () => {
    const loanBase = '/api/v1/t/demo/forms/loan_application';
    const readOnly = { view: 'full', write: false } as const;
    const full = { view: 'full', write: true } as const;
    // Every field read-only but the contacts' names: relation read-only, phone hidden.
    const contactsAccess = (columns: Record<string, { view: 'full' | 'masked' | 'none'; write: boolean } | undefined>) =>
      accessOf(template('loan_application'), () => readOnly, (table, column) => (table === 'emergency_contacts' ? columns[column] : readOnly));
    const read = {
      applicant_name: '王芳',
      emergency_contacts: [{ name: '李四', relation: 'spouse' }, { name: '赵六', relation: 'friend' }],
    };
    const loanRecord = (version: number, data: Record<string, unknown>): FormRecord => ({ ...stored(version, data), form: 'loan_application', id: 'l1' });

    function renderLoan(access: ReturnType<typeof contactsAccess>, patch: Handler, data: Record<string, unknown> = read) {
      return renderApp({
        url: '/forms/loan_application/records/l1/edit',
        user: admin,
        routes: {
          [`GET ${loanBase}/access`]: () => ({ body: access }),
          [`GET ${loanBase}/records/l1`]: () => ({ body: loanRecord(3, data) }),
          [`PATCH ${loanBase}/records/l1`]: patch,
        },
      });
    }

    it('shows read-only cells as read, no hidden column, no way to remove saved rows, and sends them back as read', async () => {
      const patches: unknown[] = [];
      let calls = 0;
      renderLoan(contactsAccess({ name: full, relation: readOnly }), (req) => {
        patches.push(req.body);
        if (++calls === 1) {
          return apiError(422, 'validation_failed', 'The record is not valid; see fields.', {
            fields: [
              { path: '/emergency_contacts/1/relation', code: 'forbidden', message: 'you may not change this column' },
              { path: '/emergency_contacts', code: 'remove_rows_forbidden', message: 'rows of this table cannot be removed' },
            ],
          });
        }
        return { body: loanRecord(4, read) };
      });
      const table = await screen.findByRole('group', { name: 'Emergency contacts *' });
      const first = within(table).getByRole('group', { name: 'Row 1' });
      const name = within(first).getByRole('textbox', { name: 'Name *' });
      expect(name).toHaveValue('李四');
      const relation = within(first).getByRole('textbox', { name: 'Relation' });
      expect(relation).toHaveAttribute('readonly');
      expect(relation).toHaveValue('Spouse');
      expect(relation).toHaveAccessibleDescription('Read only.');
      expect(within(first).queryByRole('combobox')).not.toBeInTheDocument();
      expect(within(table).queryByText(/Mobile phone/)).not.toBeInTheDocument();
      expect(within(table).queryByRole('button', { name: /^Remove row/ })).not.toBeInTheDocument();
      // The relation is required and cannot be given: a new row could never be saved.
      expect(within(table).queryByRole('button', { name: 'Add a row' })).not.toBeInTheDocument();
      expect(within(table).getByText(/Saved rows cannot be removed or moved/)).toBeInTheDocument();

      const user = userEvent.setup();
      await user.clear(name);
      await user.type(name, '李小四');
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      const second = within(table).getByRole('textbox', { name: 'Relation', description: /You may not change this field/ });
      expect(second).toHaveAttribute('aria-invalid', 'true');
      expect(within(table).getByText('Saved rows of this table cannot be removed or moved: some of its columns are hidden from you or read-only.')).toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      expect(await screen.findByText('Changes saved (version 4).')).toBeInTheDocument();
      const sent = { version: 3, data: { emergency_contacts: [{ name: '李小四', relation: 'spouse' }, { name: '赵六', relation: 'friend' }] } };
      expect(patches).toEqual([sent, sent]);
    });

    it('offers removing and adding rows to who reads and writes every column, and a new row only what may be given', async () => {
      const patches: unknown[] = [];
      const whole = { applicant_name: '王芳', emergency_contacts: [{ name: '李四', relation: 'spouse', phone: '13800000000' }, { name: '赵六', relation: 'friend', phone: '13800000001' }] };
      renderLoan(
        contactsAccess({ name: full, relation: full, phone: full }),
        (req) => {
          patches.push(req.body);
          return { body: loanRecord(4, whole) };
        },
        whole,
      );
      const table = await screen.findByRole('group', { name: 'Emergency contacts *' });
      const user = userEvent.setup();
      await user.click(within(table).getByRole('button', { name: 'Remove row 1' }));
      await user.click(within(table).getByRole('button', { name: 'Add a row' }));
      const added = within(table).getByRole('group', { name: 'Row 2' });
      await user.type(within(added).getByRole('textbox', { name: 'Name *' }), '王五');
      await user.selectOptions(within(added).getByRole('combobox', { name: 'Relation *' }), 'Colleague');
      await user.type(within(added).getByRole('textbox', { name: 'Mobile phone *' }), '13900000002');
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      expect(await screen.findByText('Changes saved (version 4).')).toBeInTheDocument();
      expect(patches).toEqual([
        { version: 3, data: { emergency_contacts: [{ name: '赵六', relation: 'friend', phone: '13800000001' }, { name: '王五', relation: 'colleague', phone: '13900000002' }] } },
      ]);
    });
    it('lets rows be added where saved ones stay, and the added ones taken out again', async () => {
      const patches: unknown[] = [];
      renderLoan(contactsAccess({ name: full, relation: full }), (req) => {
        patches.push(req.body);
        return { body: loanRecord(4, read) };
      });
      const table = await screen.findByRole('group', { name: 'Emergency contacts *' });
      const user = userEvent.setup();
      await user.click(within(table).getByRole('button', { name: 'Add a row' }));
      await user.click(within(table).getByRole('button', { name: 'Add a row' }));
      expect(within(table).getAllByRole('button', { name: /^Remove row/ }).map((b) => b.getAttribute('aria-label'))).toEqual(['Remove row 3', 'Remove row 4']);
      const added = within(table).getByRole('group', { name: 'Row 3' });
      expect(added.querySelectorAll('input, select, textarea')).toHaveLength(2);
      await user.type(within(added).getByRole('textbox', { name: 'Name *' }), '王五');
      await user.selectOptions(within(added).getByRole('combobox', { name: 'Relation *' }), 'Colleague');
      await user.click(within(table).getByRole('button', { name: 'Remove row 4' }));
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      expect(await screen.findByText('Changes saved (version 4).')).toBeInTheDocument();
      expect(patches).toEqual([{ version: 3, data: { emergency_contacts: [...read.emergency_contacts, { name: '王五', relation: 'colleague' }] } }]);
    });
  });
});
