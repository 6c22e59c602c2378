import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormAccess, FormRecord } from '../core/api/types';
import { renderApp, reviewer } from '../../test/renderApp';

// The caller may not read id_number at all, so the server leaves it out of access.
const access: FormAccess = {
  form: 'loan_application', version: 3, title: { 'zh-CN': '贷款申请', en: 'Loan application' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: true,
  fields: [
    { name: 'applicant_name', view: 'masked', write: false, sensitive: true, label: { 'zh-CN': '申请人姓名', en: 'Applicant name' }, widget: 'text' },
    {
      name: 'gender', view: 'full', write: false, label: { 'zh-CN': '性别', en: 'Gender' }, widget: 'radio',
      options: [
        { value: 'male', label: { 'zh-CN': '男', en: 'Male' } },
        { value: 'female', label: { 'zh-CN': '女', en: 'Female' } },
      ],
    },
    { name: 'mobile_phone', view: 'masked', write: false, sensitive: true, label: { 'zh-CN': '手机号码', en: 'Mobile phone' }, widget: 'phone' },
    { name: 'amount', view: 'full', write: false, label: { 'zh-CN': '申请金额', en: 'Amount' }, widget: 'money' },
    { name: 'monthly_income', view: 'masked', write: false, sensitive: true, label: { 'zh-CN': '月收入', en: 'Monthly income' }, widget: 'money' },
  ],
};

const record = (id: string, data: Record<string, unknown>): FormRecord => ({
  id, form: 'loan_application', form_version: 3, version: 1, created_at: '2026-11-23T19:19:20.932Z',
  updated_at: '2026-11-23T19:19:20.932Z', created_by: 'u', data,
});

const page1 = [
  record('r1', { applicant_name: '王*', gender: 'male', mobile_phone: '190****2282', amount: 165000, monthly_income: '***' }),
  record('r2', { applicant_name: '李*', gender: 'female', mobile_phone: '139****0001', amount: 5000.5, monthly_income: '***' }),
];
const page2 = [record('r3', { applicant_name: '周*', gender: 'female', mobile_phone: '167****1473', amount: 30000, monthly_income: '***' })];

function renderRecords(routes = {}) {
  return renderApp({
    url: '/forms/loan_application/records',
    user: reviewer,
    routes: {
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/forms/loan_application/records': (req) =>
        req.query.get('cursor') === 'c2' ? { body: { records: page2 } } : { body: { records: page1, next: 'c2' } },
      ...routes,
    },
  });
}

const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent);
const rowTexts = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));

describe('RecordsPage', () => {
  it('heads the columns with the labels of the fields the caller may read', async () => {
    renderRecords();
    expect(await screen.findByRole('heading', { name: 'Loan application: records' })).toBeInTheDocument();
    await screen.findByText('王*');
    expect(headers()).toEqual(['Applicant name', 'Gender', 'Mobile phone', 'Amount', 'Monthly income', 'Created']);
    expect(screen.queryByText('ID number')).not.toBeInTheDocument();
    expect(screen.getByText('You see only the records your role allows.')).toBeInTheDocument();
  });

  it('writes money and choices for the reader and masked values as the server sent them', async () => {
    renderRecords();
    await screen.findByText('王*');
    const [first, second] = rowTexts();
    expect(first?.slice(0, 5)).toEqual(['王*', 'Male', '190****2282', 'CN¥165,000.00', '***']);
    expect(second?.slice(0, 5)).toEqual(['李*', 'Female', '139****0001', 'CN¥5,000.50', '***']);
  });

  it('loads the next page with the cursor until there is none', async () => {
    const { server } = renderRecords();
    await screen.findByText('王*');
    expect(screen.getByText('2 shown')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('周*')).toBeInTheDocument();
    expect(rowTexts()).toHaveLength(3);
    expect(screen.getByText('All 3 shown')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    const listCalls = server.sent.filter((r) => r.path.endsWith('/records'));
    expect(listCalls.map((r) => r.query.get('cursor'))).toEqual([null, 'c2']);
  });

  it('rewrites headers, choices and money when the language changes', async () => {
    renderRecords();
    await screen.findByText('王*');
    await userEvent.setup().selectOptions(screen.getByLabelText('Language'), '中文');
    expect(headers()).toEqual(['申请人姓名', '性别', '手机号码', '申请金额', '月收入', '创建时间']);
    expect(rowTexts()[0]?.slice(0, 4)).toEqual(['王*', '男', '190****2282', '¥165,000.00']);
    expect(screen.getByRole('heading', { name: '贷款申请：记录' })).toBeInTheDocument();
  });

  it('leads from each row to its record, reading no definition', async () => {
    const { server } = renderRecords();
    const link = await screen.findByRole('link', { name: '王*' });
    expect(link).toHaveAttribute('href', '/forms/loan_application/records/r1');
    expect(server.sent.some((r) => r.path.includes('/definitions/'))).toBe(false);
  });
});
