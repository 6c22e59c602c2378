import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormAccess, FormRecord } from '../../core/api/types';
import type { SentRequest } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const access: FormAccess = {
  form: 'loan_application', version: 3, title: { en: 'Loan application', 'zh-CN': '贷款申请' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'applicant_name', view: 'full', write: false, label: { en: 'Applicant name' }, widget: 'text' },
    { name: 'gender', view: 'full', write: false, label: { en: 'Gender' }, widget: 'radio', options: [{ value: 'male', label: { en: 'Male' } }, { value: 'female', label: { en: 'Female' } }] },
    { name: 'mobile_phone', view: 'masked', write: false, label: { en: 'Mobile phone' }, widget: 'phone' },
    { name: 'amount', view: 'full', write: false, label: { en: 'Amount' }, widget: 'money' },
  ],
};

const record = (n: number): FormRecord => ({
  id: `r${n}`, form: 'loan_application', form_version: 3, version: 1, created_at: '2026-11-23T19:19:20Z', updated_at: '2026-11-23T19:19:20Z',
  created_by: 'u', data: { applicant_name: `Applicant ${n}`, gender: n % 2 ? 'male' : 'female', mobile_phone: '138****0000', amount: 1000 + n },
});

/** tenThousand answers pages of a 10,000-record list by cursor (the cursor is the offset). */
function tenThousand(req: SentRequest) {
  const from = Number(req.query.get('cursor') ?? 0);
  const limit = Number(req.query.get('limit'));
  const to = Math.min(from + limit, 10_000);
  const records = Array.from({ length: to - from }, (_, i) => record(from + i));
  return { body: to < 10_000 ? { records, next: String(to) } : { records } };
}

function renderList(url: string, list: (req: SentRequest) => { body: unknown } = tenThousand) {
  return renderApp({
    url,
    user: reviewer,
    routes: {
      'GET /api/v1/t/demo/forms/loan_application/access': () => ({ body: access }),
      'GET /api/v1/t/demo/forms/loan_application/records': list,
    },
  });
}

const listCalls = (sent: SentRequest[]) => sent.filter((r) => r.path.endsWith('/records'));

describe('record list for 10,000 rows', () => {
  it('renders only a window of rows and moves it as the list scrolls', async () => {
    const { server } = renderList('/forms/loan_application/records');
    await screen.findByRole('link', { name: 'Applicant 0' });
    const table = screen.getByRole('table');
    const box = table.parentElement!;
    // jsdom lays nothing out: give the scrolling box the size a browser would.
    Object.defineProperty(box, 'clientHeight', { configurable: true, value: 600 });
    Object.defineProperty(box, 'clientWidth', { configurable: true, value: 1000 });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load all (at most 10000)' }));
    expect(await screen.findByText('All 10,000 shown', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(listCalls(server.sent).map((r) => r.query.get('limit'))).toEqual(['20', ...Array(9).fill('1000'), '980']);
    expect(table).toHaveAttribute('aria-rowcount', '10001');

    const rows = () => within(table).getAllByRole('row').slice(1);
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    expect(rows().length).toBeLessThan(60);
    expect(screen.queryByText('Applicant 5000')).not.toBeInTheDocument();

    box.scrollTop = 5000 * 37;
    fireEvent.scroll(box);
    expect(await screen.findByRole('link', { name: 'Applicant 5000' })).toBeInTheDocument();
    expect(rows().length).toBeLessThan(60);
    expect(screen.queryByRole('link', { name: 'Applicant 0' })).not.toBeInTheDocument();
    expect(rows()[0]).toHaveAttribute('aria-rowindex');
  });

  it('sends filters and sort from the URL and keeps changes in the URL', async () => {
    const { server } = renderList('/forms/loan_application/records?f=amount:gte:100000&sort=-amount&cols=applicant_name,amount');
    await screen.findByRole('link', { name: 'Applicant 0' });
    const first = listCalls(server.sent)[0]!;
    expect(JSON.parse(first.query.get('filter') ?? '')).toEqual({ field: 'amount', op: 'gte', value: 100000 });
    expect(first.query.get('sort')).toBe('-amount');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Applicant name', 'Amount', 'Created']);
    expect(screen.getByRole('columnheader', { name: 'Amount' })).toHaveAttribute('aria-sort', 'descending');
    // The masked phone can be neither sorted nor filtered on: the server would refuse it.
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Applicant name' }));
    await waitFor(() => expect(listCalls(server.sent).at(-1)?.query.get('sort')).toBe('applicant_name'));
    expect(screen.getByRole('columnheader', { name: 'Applicant name' })).toHaveAttribute('aria-sort', 'ascending');

    const filters = screen.getByRole('form', { name: 'Filters' });
    await user.click(within(filters).getByRole('button', { name: 'Add a condition' }));
    const row = within(filters).getByRole('group', { name: 'Filters 2' });
    expect(within(row).getAllByRole('option').map((o) => o.textContent)).not.toContain('Mobile phone');
    await user.selectOptions(within(row).getByLabelText('Field'), 'Gender');
    await user.selectOptions(within(row).getByLabelText('Value'), 'Female');
    await user.click(within(filters).getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(JSON.parse(listCalls(server.sent).at(-1)?.query.get('filter') ?? '')).toEqual({
        and: [{ field: 'amount', op: 'gte', value: 100000 }, { field: 'gender', op: 'eq', value: 'female' }],
      }),
    );
    expect(listCalls(server.sent).at(-1)?.query.get('sort')).toBe('applicant_name');
  });

  it('marks a condition the browser cannot use and sends the others', async () => {
    const { server } = renderList('/forms/loan_application/records?f=amount:gte:lots&f=gender:eq:male');
    await screen.findByRole('link', { name: 'Applicant 0' });
    expect(JSON.parse(listCalls(server.sent)[0]!.query.get('filter') ?? '')).toEqual({ field: 'gender', op: 'eq', value: 'male' });
    const bad = screen.getByRole('group', { name: 'Filters 1' });
    expect(within(bad).getByText(/This condition cannot be used/)).toBeInTheDocument();
  });

  it('chooses columns one by one', async () => {
    renderList('/forms/loan_application/records');
    await screen.findByRole('link', { name: 'Applicant 0' });
    const user = userEvent.setup();
    await user.click(screen.getByText('Choose columns', { selector: 'summary' }));
    await user.click(screen.getByRole('checkbox', { name: 'Gender' }));
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Applicant name', 'Mobile phone', 'Amount', 'Created']);
  });
});
