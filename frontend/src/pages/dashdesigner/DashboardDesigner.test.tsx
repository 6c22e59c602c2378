import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FieldProblem } from '../../core/api/apiError';
import type { FormAccess, Principal } from '../../core/api/types';
import type { JsonObject } from '../../core/dashdesigner/types';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';

const templates = import.meta.glob<JsonObject>('../../../../schemas/templates/lending/dashboards/*.json', { eager: true, import: 'default' });
const cockpit = Object.values(templates)[0] as JsonObject;
const admin: Principal = { id: 'u-9', email: 'admin@demo.credo', name: 'Admin', tenant: 'demo', roles: ['admin'], platform_admin: false };
const loan: FormAccess = {
  form: 'loan_application', version: 3, title: { en: 'Loan application' }, create: true, read: true, update: true, delete: true, export: true, row_scoped: false,
  fields: [
    { name: 'channel', view: 'full', write: true, label: { en: 'Channel' }, widget: 'select' },
    { name: 'amount', view: 'full', write: true, label: { en: 'Amount' }, widget: 'money' },
  ],
};

/** dashboardServer keeps drafts and versions of dashboards the way the definition routes do. */
function dashboardServer(check: (body: JsonObject) => FieldProblem[] = () => []) {
  const drafts: Record<string, JsonObject> = { cockpit: structuredClone(cockpit) };
  const versions: Record<string, JsonObject[]> = { cockpit: [structuredClone(cockpit)] };
  const base = '/api/v1/t/demo/definitions/dashboard';
  const draftOf = (key: string) => {
    const body = drafts[key]!;
    const problems = check(body);
    return { kind: 'dashboard', key, body, hash: 'h', problems, valid: problems.length === 0, saved_at: '2026-05-01T08:00:00Z', saved_by: 'u-9', base_version: 1 };
  };
  const summary = (key: string, n: number) => ({ kind: 'dashboard', key, version: n, note: '', author: 'u-9', published_at: '2026-05-01T08:00:00Z', hash: `h${n}` });
  const routes: Record<string, Handler> = {
    'GET /api/v1/t/demo/forms': () => ({ body: { forms: [loan] } }),
    [`GET ${base}`]: () => ({
      body: {
        definitions: Object.keys(drafts).map((key) => ({
          kind: 'dashboard', key, title: drafts[key]!['name'], status: 'published', updated_at: '2026-05-01T08:00:00Z',
          latest: versions[key]?.length ?? 0, draft: 'unchanged', draft_valid: true,
        })),
      },
    }),
  };
  for (const key of ['cockpit', 'cockpit_copy']) {
    routes[`GET ${base}/${key}`] = () => (drafts[key] ? { body: draftOf(key) } : apiError(404, 'not_found', 'No such definition.'));
    routes[`PUT ${base}/${key}`] = (req) => {
      drafts[key] = req.body as JsonObject;
      return { body: draftOf(key) };
    };
    routes[`POST ${base}/${key}/publish`] = () => {
      const list = (versions[key] ??= []);
      list.push(structuredClone(drafts[key]!));
      return { status: 201, body: summary(key, list.length) };
    };
    routes[`POST ${base}/${key}/rollback`] = (req) => {
      const list = versions[key] ?? [];
      const old = list[(req.body as { to: number }).to - 1];
      if (!old) return apiError(404, 'not_found', 'No such version.');
      list.push(structuredClone(old));
      return { status: 201, body: { ...summary(key, list.length), rollback_of: (req.body as { to: number }).to } };
    };
    routes[`GET ${base}/${key}/versions`] = () => ({ body: { versions: (versions[key] ?? []).map((_, i) => summary(key, i + 1)) } });
    for (let n = 1; n <= 3; n++) {
      routes[`GET ${base}/${key}/versions/${n}`] = () => {
        const body = versions[key]?.[n - 1];
        return body ? { body: { ...summary(key, n), body } } : apiError(404, 'not_found', 'No such version.');
      };
    }
  }
  routes['GET /api/v1/t/demo/dashboards/cockpit/widgets/volume_by_channel'] = () => ({
    body: { id: 'volume_by_channel', type: 'bar', title: 'Applications by channel', dimensions: ['Channel'], categories: [{ key: ['online'], label: 'Online' }], series: [{ id: 'volume', measure: 'volume', label: 'Volume', values: [42] }] },
  });
  // The preview figures the body it is sent: the widget's limit comes back as its value.
  const previews: JsonObject[] = [];
  routes['POST /api/v1/t/demo/dashboards/cockpit/preview/widgets/volume_by_channel'] = (req) => {
    const body = req.body as JsonObject;
    previews.push(body);
    const w = (body['widgets'] as JsonObject[]).find((x) => x['id'] === 'volume_by_channel')!;
    return {
      body: {
        data: { id: 'volume_by_channel', type: 'bar', title: 'Applications by channel', dimensions: ['Channel'], categories: [{ key: ['online'], label: 'Online' }], series: [{ id: 'volume', measure: 'volume', label: 'Volume', values: [Number(w['limit'] ?? 0) * 100] }] },
        svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>draft</text></svg>',
      },
    };
  };
  return { routes, drafts, versions, previews };
}

const widgetTitles = () => screen.getAllByRole('heading', { level: 3 }).map((h) => h.firstChild?.textContent?.trim());

describe('dashboard designer', () => {
  it('saves a loaded dashboard unchanged', async () => {
    const fake = dashboardServer();
    const { server } = renderApp({ url: '/designer/dashboards/cockpit', user: admin, routes: fake.routes });
    await screen.findByRole('heading', { name: 'Design: Lending cockpit', level: 1 });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText('Draft saved: ready to publish.');
    const put = server.sent.find((r) => r.method === 'PUT');
    expect(JSON.stringify(put?.body)).toBe(JSON.stringify(cockpit));
  });

  it('reorders, removes and adds widgets, edits one, places the server’s problems and publishes', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const fake = dashboardServer((body) => {
      const widgets = body['widgets'] as JsonObject[];
      const last = widgets.at(-1)!;
      const g = (last['group_by'] as JsonObject[] | undefined)?.[0];
      return g && g['field'] === 'chanel'
        ? [{ path: `/widgets/${widgets.length - 1}/group_by/0/field`, code: 'unknown_field', message: 'is not a field of form loan_application that can be grouped by' }]
        : [];
    });
    const { server } = renderApp({ url: '/designer/dashboards/cockpit', user: admin, routes: fake.routes });
    await screen.findByRole('heading', { name: 'Design: Lending cockpit', level: 1 });
    const user = userEvent.setup();
    expect(widgetTitles().slice(0, 2)).toEqual(['Application funnel', 'Headline figures']);
    await user.click(screen.getByRole('button', { name: 'Move Headline figures up' }));
    expect(widgetTitles().slice(0, 2)).toEqual(['Headline figures', 'Application funnel']);
    await user.click(screen.getByRole('button', { name: 'Remove Vintage by disbursement month' }));
    expect(widgetTitles()).not.toContain('Vintage by disbursement month');

    await user.selectOptions(screen.getByLabelText('Type of the new widget'), 'Table');
    await user.click(screen.getByRole('button', { name: 'Add widget' }));
    const editor = () => [...document.querySelectorAll<HTMLElement>('li.widget-card')].at(-1)!;
    await user.clear(within(editor()).getByLabelText('Title (English)'));
    await user.type(within(editor()).getByLabelText('Title (English)'), 'Amount by channel');
    await user.type(within(editor()).getByLabelText('Field'), 'chanel');
    await user.selectOptions(within(editor()).getByLabelText('Bucket'), 'Each value');
    await user.selectOptions(within(editor()).getByLabelText('Operation'), 'Sum');
    await user.type(within(editor()).getByLabelText('Field measured'), 'amount');
    await user.click(within(within(editor()).getByRole('group', { name: 'Widget filter' })).getByRole('button', { name: 'Add a condition' }));
    const condition = within(editor()).getByRole('group', { name: 'Widget filter 1' });
    await user.type(within(condition).getByLabelText('Field'), 'status');
    await user.selectOptions(within(condition).getByLabelText('Condition'), 'is one of');
    await user.type(within(condition).getByLabelText('Value'), 'approved, disbursed');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    const field = await within(editor()).findByLabelText('Field', { selector: '#w12-g0-field' });
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(within(editor()).getByText('Not a field of the widget’s form that can be used here.')).toBeInTheDocument();
    expect(screen.getByText('Draft saved with 1 problem(s); they are marked on the inputs.')).toBeInTheDocument();
    const saved = fake.drafts['cockpit']!;
    expect((saved['widgets'] as JsonObject[]).at(-1)).toEqual({
      id: 'table', type: 'table', title: { 'zh-CN': '新组件', en: 'Amount by channel' }, form: 'loan_application',
      group_by: [{ field: 'chanel' }],
      measures: [{ name: 'count', op: 'sum', label: { 'zh-CN': '计数', en: 'Count' }, field: 'amount' }],
      filter: { field: 'status', op: 'in', value: ['approved', 'disbursed'] },
    });

    await user.clear(field);
    await user.type(field, 'channel');
    expect(field).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Published as version 2.')).toBeInTheDocument();
    expect(server.sent.filter((r) => r.method === 'POST' && r.path.endsWith('/publish'))).toHaveLength(1);
    expect(fake.versions['cockpit']).toHaveLength(2);

    // Version 1 again, as version 3: the designer and the draft hold it.
    await user.click(screen.getByRole('button', { name: 'Versions' }));
    await user.click(await screen.findByRole('button', { name: 'Roll back to version 1' }));
    expect(await screen.findByText('Version 1 published again as version 3.')).toBeInTheDocument();
    expect(fake.versions['cockpit']).toHaveLength(3);
    expect(JSON.stringify(fake.drafts['cockpit'])).toBe(JSON.stringify(cockpit));
    expect(widgetTitles()).toContain('Vintage by disbursement month');
  });

  it('previews a published widget as the server draws it, and a changed one from the unsaved body', async () => {
    const fake = dashboardServer();
    renderApp({ url: '/designer/dashboards/cockpit', user: admin, routes: fake.routes });
    await screen.findByRole('heading', { name: 'Design: Lending cockpit', level: 1 });
    const user = userEvent.setup();
    const card = screen.getByRole('heading', { name: /Applications by channel/, level: 3 }).closest('li')!;
    await user.click(within(card).getByRole('button', { name: 'Preview' }));
    const img = await within(card).findByRole('img', { name: 'Applications by channel (chart)' });
    expect(img.getAttribute('src')).toContain('/dashboards/cockpit/widgets/volume_by_channel/chart.svg');
    expect(await within(card).findByRole('cell', { name: '42' })).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Edit Applications by channel' }));
    await user.type(within(card).getByLabelText('Show only the first (top N)'), '5');
    expect(within(card).getByText(/As it stands in the designer \(not saved\)/)).toBeInTheDocument();
    expect(await within(card).findByRole('cell', { name: '500' }, { timeout: 3000 })).toBeInTheDocument();
    const drawn = within(card).getByRole('img', { name: 'Applications by channel (chart)' });
    expect(drawn.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(fake.previews.at(-1)).toEqual(expect.objectContaining({ key: 'cockpit' }));
    expect(fake.drafts['cockpit']!['widgets']).toEqual(cockpit['widgets']); // previewing saved nothing
  });

  it('lists the dashboards and starts a copy of the cockpit', async () => {
    const fake = dashboardServer();
    renderApp({ url: '/designer/dashboards', user: admin, routes: fake.routes });
    expect(await screen.findByRole('link', { name: 'Lending cockpit' })).toHaveAttribute('href', '/designer/dashboards/cockpit');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Key'), 'Bad key');
    await user.click(screen.getByRole('button', { name: 'Create the dashboard' }));
    expect(screen.getByLabelText('Key')).toHaveAttribute('aria-invalid', 'true');
    await user.clear(screen.getByLabelText('Key'));
    await user.type(screen.getByLabelText('Key'), 'cockpit_copy');
    await user.type(screen.getByLabelText('Name (English)'), 'Cockpit copy');
    await user.selectOptions(screen.getByLabelText('Start from'), 'A copy of Lending cockpit');
    await user.click(screen.getByRole('button', { name: 'Create the dashboard' }));
    await screen.findByRole('heading', { name: 'Design: Cockpit copy', level: 1 });
    const copy = fake.drafts['cockpit_copy']!;
    expect(copy['key']).toBe('cockpit_copy');
    expect(copy['name']).toEqual({ en: 'Cockpit copy' });
    expect(copy['widgets']).toEqual(cockpit['widgets']);
    expect(copy['filters']).toEqual(cockpit['filters']);
  });
});
