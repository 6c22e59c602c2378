import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ImportJob } from '../../core/api/adminEndpoints';
import type { FormAccess } from '../../core/api/types';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };

const customers: FormAccess = {
  form: 'customer', version: 1, title: { en: 'Customer', 'zh-CN': '客户' },
  create: true, read: true, update: true, delete: true, export: true, row_scoped: false,
  fields: [
    { name: 'name', view: 'full', write: true, label: { en: 'Customer name', 'zh-CN': '客户姓名' } },
    { name: 'id_number', view: 'full', write: true, label: { en: 'ID number' } },
    { name: 'mobile_phone', view: 'full', write: true, label: { en: 'Mobile phone' } },
    { name: 'risk_score', view: 'full', write: false, computed: true, label: { en: 'Risk score' } },
  ],
};
const loans: FormAccess = { ...customers, form: 'loan_application', title: { en: 'Loan application' }, create: false, fields: [] };

const job = (extra: Partial<ImportJob>): ImportJob => ({
  id: 'j1', form: 'customer', file_name: 'customers.csv', format: 'csv', header_row: 1, status: 'queued',
  columns: {}, decide: false, created_at: '2026-11-23T09:00:00Z',
  progress: { percent: 0, rows: 0, rows_per_second: 0 }, counts: { accepted: 0, rejected: 0, duplicates: 0 }, ...extra,
});

const base = '/api/v1/t/demo/forms/customer/imports';
const csv = '客户姓名,mobile_phone,备注\n张三,13800138000,VIP\n李四,12345,\n王五,13900139000,\n';

function renderImport(routes: Record<string, Handler>) {
  return renderApp({
    url: '/admin/imports',
    user: admin,
    routes: {
      'GET /api/v1/t/demo/forms': () => ({ body: { forms: [loans, customers] } }),
      'GET /api/v1/t/demo/forms/customer/access': () => ({ body: customers }),
      ...routes,
    },
  });
}

describe('ImportPage', () => {
  it('maps the file’s columns, uploads it, follows the progress and lists the rejected rows with their reasons', async () => {
    let polls = 0;
    const { server } = renderImport({
      [`POST ${base}`]: () => ({ status: 202, body: job({}) }),
      [`GET ${base}/j1`]: () =>
        polls++ === 0
          ? { body: job({ status: 'running', progress: { percent: 40, rows: 2, rows_per_second: 1200 } }) }
          : {
              body: job({
                status: 'done', progress: { percent: 100, rows: 3, rows_per_second: 1742 },
                counts: { accepted: 2, rejected: 1, duplicates: 0 },
              }),
            },
      [`GET ${base}/j1/rejects`]: (req) =>
        req.query.get('format') === 'json'
          ? {
              body: {
                job: 'j1', counts: { accepted: 2, rejected: 1, duplicates: 0 }, truncated: false,
                rejects: [{ row: 3, column: 'mobile_phone', field: 'mobile_phone', code: 'pattern', reason: 'is not a valid phone number' }],
              },
            }
          : apiError(400, 'invalid_query', 'format must be csv or json.'),
    });
    const user = userEvent.setup();
    const form = await screen.findByLabelText('Form');
    // Only the forms the person may create records in are offered.
    await within(form).findByRole('option', { name: 'Customer' });
    expect(within(form).queryByRole('option', { name: 'Loan application' })).not.toBeInTheDocument();

    await user.upload(screen.getByLabelText('File'), new File([csv], 'customers.csv', { type: 'text/csv' }));
    const mapping = await screen.findByRole('table', { name: 'Columns and the fields they fill' });
    expect(within(mapping).getByRole('combobox', { name: 'Field for column 客户姓名' })).toHaveDisplayValue('Customer name');
    expect(within(mapping).getByRole('combobox', { name: 'Field for column mobile_phone' })).toHaveDisplayValue('Mobile phone');
    expect(within(mapping).getByRole('combobox', { name: 'Field for column 备注' })).toHaveDisplayValue('Do not import');
    // A computed field cannot be imported into.
    expect(within(mapping).queryAllByRole('option', { name: 'Risk score' })).toHaveLength(0);
    await user.selectOptions(screen.getByLabelText('Key field'), 'Mobile phone');
    await user.click(screen.getByRole('button', { name: 'Start import' }));

    expect(await screen.findByText('40% · 2 rows read · 1,200 rows per second')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '40');
    expect(await screen.findByText('Finished')).toBeInTheDocument();
    expect(screen.getByText('100% · 3 rows read · 1,742 rows per second')).toBeInTheDocument();
    expect(screen.getByText('2 imported')).toBeInTheDocument();
    expect(screen.getByText('1 rejected')).toBeInTheDocument();
    const rejects = await screen.findByRole('table', { name: 'Rejected rows' });
    const row = within(rejects).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', 'mobile_phone', 'Mobile phone', 'is not a valid phone number']);
    expect(screen.getByRole('link', { name: 'Download the rejected rows (CSV)' })).toHaveAttribute('href', `${base}/j1/rejects?format=csv`);

    const post = server.sent.find((r) => r.method === 'POST')!;
    expect(post.headers['Content-Type']).toBeUndefined();
    expect(post.headers['X-CSRF-Token']).toBe('csrf-token-1');
    expect((post.form?.get('file') as File).name).toBe('customers.csv');
    expect(JSON.parse(post.form?.get('mapping') as string)).toEqual({
      columns: { 客户姓名: 'name', mobile_phone: 'mobile_phone' },
      key: 'mobile_phone',
    });
  });

  it('places the server’s mapping problems on the columns, and names the required fields in words', async () => {
    renderImport({
      [`POST ${base}`]: () =>
        apiError(422, 'invalid_mapping', 'The mapping does not fit the file or the form; see fields.', {
          fields: [
            { path: '/columns', code: 'required', message: 'the form requires id_number; map a column to it', params: { field: 'id_number' } },
            { path: '/columns/mobile_phone', code: 'forbidden', message: 'you may not fill this field' },
          ],
        }),
    });
    const user = userEvent.setup();
    await screen.findByRole('option', { name: 'Customer' });
    await user.upload(screen.getByLabelText('File'), new File([csv], 'customers.csv', { type: 'text/csv' }));
    await screen.findByRole('table', { name: 'Columns and the fields they fill' });
    await user.click(screen.getByRole('button', { name: 'Start import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The mapping does not fit the file or the form; see the columns.');
    expect(screen.getByText('The form requires ID number: map a column to it.')).toBeInTheDocument();
    const phone = screen.getByRole('combobox', { name: 'Field for column mobile_phone' });
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription('You may not change this field.');
    expect(screen.getByRole('combobox', { name: 'Field for column 客户姓名' })).not.toHaveAttribute('aria-invalid');
  });

  it('says in words when the file is not one it can read, and leaves the matching to the server', async () => {
    renderImport({});
    // A file dialog's "all files" lets anything through the accept list.
    const user = userEvent.setup({ applyAccept: false });
    await screen.findByRole('option', { name: 'Customer' });
    const xls = new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])], 'old.xls');
    await user.upload(screen.getByLabelText('File'), xls);
    expect(await screen.findByRole('alert')).toHaveTextContent('This is an .xls or password-protected workbook.');
    expect(screen.queryByRole('table', { name: 'Columns and the fields they fill' })).not.toBeInTheDocument();
  });
});
