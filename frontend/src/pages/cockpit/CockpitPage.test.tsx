import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormAccess, FormRecord, WidgetData } from '../../core/api/types';
import { apiError, type Handler, type SentRequest } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };

const loans: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'applicant_name', view: 'full', write: false, label: { en: 'Applicant name' }, widget: 'text' },
    { name: 'applied_on', view: 'full', write: false, label: { en: 'Applied on' }, widget: 'date' },
    {
      name: 'channel', view: 'full', write: false, label: { en: 'Channel' }, widget: 'select',
      options: [{ value: 'online', label: { en: 'Online' } }, { value: 'branch', label: { en: 'Branch' } }],
    },
  ],
};

const headline: WidgetData = {
  id: 'headline', type: 'kpi', title: 'Headline figures', dimensions: [], categories: [{ key: [], label: '' }],
  series: [
    { id: 'applications', measure: 'applications', label: 'Applications', format: 'number', values: [60] },
    { id: 'approval_rate', measure: 'approval_rate', label: 'Approval rate', format: 'percent', values: [0.733] },
  ],
};

const byChannel: WidgetData = {
  id: 'volume_by_channel', type: 'bar', title: 'Applications by channel', dimensions: ['Channel'],
  categories: [{ key: ['branch'], label: 'Branch' }, { key: ['online'], label: 'Online' }],
  series: [{ id: 'volume', measure: 'volume', label: 'Volume', values: [7, 17] }],
};

const rec = (id: string, name: string): FormRecord => ({
  id, form: 'loan_application', form_version: 1, version: 1, created_at: '2026-11-23T19:19:20Z', updated_at: '2026-11-23T19:19:20Z',
  created_by: 'u', data: { applicant_name: name, channel: 'online' },
});

function renderCockpit(routes: Record<string, Handler> = {}) {
  const base = '/api/v1/t/demo/dashboards/cockpit';
  return renderApp({
    url: '/dashboards/cockpit',
    user: admin,
    routes: {
      [`GET ${base}`]: () => ({ body: { key: 'cockpit', version: 1, widgets: ['headline', 'volume_by_channel'], forms: ['loan_application'] } }),
      'GET /api/v1/t/demo/definitions/dashboard/cockpit/versions/1': () => ({
        body: {
          kind: 'dashboard', key: 'cockpit', version: 1, published_at: '',
          body: {
            key: 'cockpit', name: { en: 'Lending cockpit' },
            filters: [
              { id: 'period', field: 'applied_on', kind: 'time_range', label: { en: 'Applied on' } },
              { id: 'channel', field: 'channel', kind: 'select', label: { en: 'Channel' } },
            ],
          },
        },
      }),
      'GET /api/v1/t/demo/forms': () => ({ body: { forms: [loans] } }),
      [`GET ${base}/widgets/headline`]: () => ({ body: headline }),
      [`GET ${base}/widgets/volume_by_channel`]: () => ({ body: byChannel }),
      [`GET ${base}/widgets/volume_by_channel/drill`]: (req) =>
        req.query.get('cursor') === 'c2'
          ? { body: { form: 'loan_application', filter: {}, records: [rec('r3', '周洋')] } }
          : { body: { form: 'loan_application', filter: {}, records: [rec('r1', '王洋'), rec('r2', '李娜')], next: 'c2' } },
      [`GET ${base}/widgets/headline/drill`]: () => ({ body: { form: 'loan_application', filter: null, records: [rec('r9', '赵敏')] } }),
      ...routes,
    },
  });
}

const widgetCalls = (sent: SentRequest[], id: string) => sent.filter((r) => r.path.endsWith(`/widgets/${id}`));

describe('CockpitPage', () => {
  it('shows KPIs as figures and other widgets as the server’s chart, named for screen readers', async () => {
    renderCockpit();
    expect(await screen.findByRole('heading', { name: 'Lending cockpit', level: 1 })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Records behind Applications: 60' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Records behind Approval rate: 73.3%' })).toBeInTheDocument();
    const chart = await screen.findByRole('img', { name: 'Applications by channel (chart)' });
    expect(chart.getAttribute('src')).toBe('/api/v1/t/demo/dashboards/cockpit/widgets/volume_by_channel/chart.svg?locale=en');
  });

  it('encodes the chosen filters into every widget’s query and chart', async () => {
    const { server } = renderCockpit();
    const user = userEvent.setup();
    await screen.findByRole('img', { name: 'Applications by channel (chart)' });
    await user.click(screen.getByRole('checkbox', { name: 'Online' }));
    await user.type(screen.getByLabelText('Applied on from'), '2026-01-01');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    const want = { locale: 'en', 'filter.channel': 'online', 'filter.period.from': '2026-01-01' };
    await vi.waitFor(() => expect(Object.fromEntries(widgetCalls(server.sent, 'headline').at(-1)!.query)).toEqual(want));
    expect(Object.fromEntries(widgetCalls(server.sent, 'volume_by_channel').at(-1)!.query)).toEqual(want);
    const src = screen.getByRole('img', { name: 'Applications by channel (chart)' }).getAttribute('src')!;
    expect(Object.fromEntries(new URL(src, 'http://x').searchParams)).toEqual(want);
  });

  it('places the server’s refusal of a filter on that filter', async () => {
    renderCockpit({
      'GET /api/v1/t/demo/dashboards/cockpit/widgets/headline': (req) =>
        req.query.get('filter.period.to')
          ? apiError(400, 'invalid_query', 'The dashboard filters are not valid; see fields.', {
              fields: [{ path: '/filters/period/to', code: 'bad_value', message: 'is before from' }],
            })
          : { body: headline },
    });
    const user = userEvent.setup();
    await screen.findByRole('button', { name: /Records behind Applications/ });
    await user.type(screen.getByLabelText('Applied on to'), '2025-01-01');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    const to = screen.getByLabelText('Applied on to');
    await vi.waitFor(() => expect(to).toHaveAttribute('aria-invalid', 'true'));
    expect(to).toHaveAccessibleDescription('Not a valid value: is before from.');
  });

  it('shows a chart’s data as a table and opens the records behind a row, page by page', async () => {
    const { server } = renderCockpit();
    const user = userEvent.setup();
    const toggle = await screen.findByRole('button', { name: 'Show data' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('table', { name: 'Applications by channel: data' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual(['ChannelVolume', 'Branch7', 'Online17']);
    await user.click(within(table).getByRole('button', { name: 'Records behind Online' }));
    const drill = await screen.findByRole('region', { name: 'Records behind Applications by channel: Online' });
    expect(await within(drill).findByRole('link', { name: '王洋' })).toHaveAttribute('href', '/forms/loan_application/records/r1');
    expect(screen.getByRole('heading', { name: 'Records behind Applications by channel: Online' })).toHaveFocus();
    await user.click(within(drill).getByRole('button', { name: 'Load more' }));
    expect(await within(drill).findByRole('link', { name: '周洋' })).toBeInTheDocument();
    const calls = server.sent.filter((r) => r.path.endsWith('/drill'));
    expect(calls.map((r) => [r.query.get('category'), r.query.get('series'), r.query.get('cursor')])).toEqual([
      ['["online"]', 'volume', null],
      ['["online"]', 'volume', 'c2'],
    ]);
  });

  it('opens the records behind a KPI', async () => {
    const { server } = renderCockpit();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Records behind Applications: 60' }));
    expect(await screen.findByRole('link', { name: '赵敏' })).toBeInTheDocument();
    const call = server.sent.find((r) => r.path.endsWith('/headline/drill'))!;
    expect([call.query.get('category'), call.query.get('series')]).toEqual(['[]', 'applications']);
  });
});

describe('CockpitPage when a chart cannot be drawn', () => {
  it('says so and shows the figures as a table instead', async () => {
    renderCockpit();
    const chart = await screen.findByRole('img', { name: 'Applications by channel (chart)' });
    fireEvent.error(chart);
    expect(await screen.findByText('The server could not draw this chart; its figures are below.')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Applications by channel: data' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Show data' })).not.toBeInTheDocument();
  });
});
