import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PluginBinding, PluginEntry } from '../../core/api/adminEndpoints';
import { apiError, type Handler } from '../../../test/fakeServer';
import { renderApp, reviewer } from '../../../test/renderApp';

const admin = { ...reviewer, email: 'admin@demo.credo', roles: ['admin'] };
const base = '/api/v1/t/demo/plugins';

// Part of credo-antifraud's configuration schema (plugins/antifraud/config.schema.json).
const antifraud: PluginEntry = {
  name: 'credo-antifraud', version: '1.0.0', kinds: ['fraud_detector'], description: 'Reference anti-fraud rules.',
  config_schema: {
    type: 'object', additionalProperties: false,
    properties: {
      disabled_rules: { description: 'Rules that do not run.', type: 'array', items: { enum: ['blacklist.phone', 'velocity.ip'] }, default: [] },
      velocity: {
        type: 'object',
        properties: { phone: { description: 'Applications per mobile_phone.', $ref: '#/$defs/limit', default: { max: 3, window: '24h' } } },
      },
      age: {
        type: 'object',
        properties: { min: { type: 'integer', minimum: 0, default: 18 }, max: { type: 'integer', maximum: 120, default: 65 } },
      },
      strict: { type: 'boolean' },
    },
    $defs: { limit: { type: 'object', properties: { max: { type: 'integer' }, window: { type: 'string', pattern: '^[1-9][0-9]{0,5}(s|m|h|d)$' } } } },
  },
};
const scorecard: PluginEntry = { name: 'credo-scorecard', version: '1.0.0', kinds: ['scorer'] };
const binding: PluginBinding = {
  kind: 'fraud_detector', plugin: 'credo-antifraud', version: '1.0.0', config: { age: { min: 20 } },
  updated_at: '2026-11-23T09:00:00Z', updated_by: 'u-admin', revision: 3,
};

function renderPlugins(routes: Record<string, Handler> = {}) {
  return renderApp({
    url: '/admin/plugins',
    user: admin,
    routes: { [`GET ${base}`]: () => ({ body: { plugins: [antifraud, scorecard], bindings: [binding] } }), ...routes },
  });
}

describe('PluginsPage', () => {
  it('draws the configuration from the plugin’s schema and sends it typed, with the revision read', async () => {
    const { server } = renderPlugins({
      [`PUT ${base}/fraud_detector`]: (req) => ({ body: { ...binding, ...(req.body as object), revision: 4 } }),
    });
    const u = userEvent.setup();
    const card = await screen.findByRole('form', { name: 'Fraud check' });
    expect(card).toHaveTextContent('Bound to credo-antifraud@1.0.0 (revision 3');
    expect(within(card).getByLabelText('min')).toHaveValue('20');
    expect(within(card).getByLabelText('max', { selector: '#plugin-fraud_detector-age-max' })).toHaveAttribute('placeholder', 'Default: 65');
    expect(within(card).getByRole('group', { name: 'phone' })).toHaveAccessibleDescription('Applications per mobile_phone.');
    // An object's default shows on its members.
    expect(within(card).getByLabelText('window')).toHaveAttribute('placeholder', 'Default: 24h');
    await u.type(within(card).getByLabelText('max', { selector: '#plugin-fraud_detector-age-max' }), '60');
    await u.type(within(card).getByLabelText('window'), '24h');
    await u.click(within(card).getByRole('checkbox', { name: 'velocity.ip' }));
    await u.selectOptions(within(card).getByLabelText('strict'), 'Yes');
    await u.click(within(card).getByRole('button', { name: 'Save binding' }));
    expect(await within(card).findByRole('status')).toHaveTextContent('Bound to credo-antifraud@1.0.0.');
    expect(server.sent.find((r) => r.method === 'PUT')?.body).toEqual({
      plugin: 'credo-antifraud', version: '1.0.0', revision: 3,
      config: { age: { min: 20, max: 60 }, velocity: { phone: { window: '24h' } }, disabled_rules: ['velocity.ip'], strict: true },
    });
    // A kind nobody bound says so, and binds without a revision.
    const scorer = screen.getByRole('form', { name: 'Credit scoring' });
    expect(scorer).toHaveTextContent('No plugin bound: decisions of this kind stay pending.');
    expect(within(scorer).getByText('This plugin takes no configuration.')).toBeInTheDocument();
  });

  it('places the server’s schema problems on the inputs they name', async () => {
    renderPlugins({
      [`PUT ${base}/fraud_detector`]: () =>
        apiError(422, 'invalid_config', "The configuration does not match the plugin's schema; see fields.", {
          fields: [
            { path: '/config/age/max', code: 'schema', message: 'must be <= 120 but found 500' },
            { path: '/config/velocity/phone/window', code: 'schema', message: "does not match pattern '^[1-9][0-9]{0,5}(s|m|h|d)$'" },
            { path: '/config', code: 'schema', message: 'age.min must not exceed age.max' },
          ],
        }),
    });
    const u = userEvent.setup();
    const card = await screen.findByRole('form', { name: 'Fraud check' });
    const max = within(card).getByLabelText('max', { selector: '#plugin-fraud_detector-age-max' });
    await u.type(max, '500');
    await u.type(within(card).getByLabelText('window'), 'abc');
    await u.click(within(card).getByRole('button', { name: 'Save binding' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('The server refused the binding; see the fields.');
    expect(max).toHaveAttribute('aria-invalid', 'true');
    expect(max).toHaveAccessibleDescription('Not what the plugin accepts: must be <= 120 but found 500.');
    expect(within(card).getByLabelText('window')).toHaveAccessibleDescription(expect.stringContaining('Not what the plugin accepts: does not match pattern'));
    expect(within(card).getByLabelText('min')).not.toHaveAttribute('aria-invalid');
    expect(within(card).getByText('Not what the plugin accepts: age.min must not exceed age.max.')).toBeInTheDocument();
  });

  it('unbinds after asking, naming the revision read', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { server } = renderPlugins({ [`DELETE ${base}/fraud_detector`]: () => ({ status: 204 }) });
    const card = await screen.findByRole('form', { name: 'Fraud check' });
    await userEvent.setup().click(within(card).getByRole('button', { name: 'Unbind' }));
    await within(card).findByText('credo-antifraud@1.0.0 unbound.');
    const del = server.sent.find((r) => r.method === 'DELETE')!;
    expect(del.query.get('revision')).toBe('3');
  });
});
