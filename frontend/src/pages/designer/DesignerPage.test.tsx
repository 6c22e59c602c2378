import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import customer from '../../../../schemas/templates/lending/customer.json';
import type { Principal } from '../../core/api/types';
import { newDefinition } from '../../core/designer/newDefinition';
import type { JsonObject } from '../../core/designer/types';
import { renderApp } from '../../../test/renderApp';
import { designerServer } from './designerServer';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };

const blank = () => newDefinition('intake', { 'zh-CN': '进件', en: 'Intake' }, { 'zh-CN': '基本信息', en: 'Basic information' });

/** threeFields is a form with one section placing a, b and c. */
function threeFields(): JsonObject {
  const def = blank();
  const text = (en: string) => ({ label: { en }, widget: 'text' });
  def['schema'] = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } };
  def['fields'] = { a: text('Alpha'), b: text('Beta'), c: text('Gamma') };
  def['layout'] = { sections: [{ key: 'basics', title: { en: 'Basic information' }, columns: 1, fields: ['a', 'b', 'c'] }] };
  return def;
}

function renderDesigner(key: string, start: Parameters<typeof designerServer>[1], check?: Parameters<typeof designerServer>[2], language: 'en' | 'zh-CN' = 'en') {
  const fake = designerServer(key, start, check);
  const view = renderApp({ url: `/designer/forms/${key}`, user: admin, routes: fake.routes, language });
  const puts = () => view.server.sent.filter((r) => r.method === 'PUT').map((r) => r.body as JsonObject);
  return { ...view, state: fake.state, puts, user: userEvent.setup() };
}

const canvas = () => screen.getByRole('region', { name: 'Form layout' });
const panel = () => screen.getByRole('complementary', { name: 'Properties' });

describe('DesignerPage', () => {
  it('opens a draft and saves it unchanged as the very JSON it read', async () => {
    const body = structuredClone(customer) as JsonObject;
    const { user, puts } = renderDesigner('customer', { draft: body });
    expect(await screen.findByRole('heading', { name: 'Design: Customer', level: 1 })).toBeInTheDocument();
    expect(within(canvas()).getByRole('button', { name: 'Profile' })).toBeInTheDocument();
    expect(within(canvas()).getByRole('button', { name: 'ID number' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText(/Draft saved; ready to publish\./)).toBeInTheDocument();
    expect(puts()).toHaveLength(1);
    expect(puts()[0]).toEqual(customer);
  });

  it('adds fields from the palette, edits their properties and shows them in the preview', async () => {
    const { user, puts } = renderDesigner('intake', { draft: blank() });
    await screen.findByRole('heading', { name: 'Design: Intake', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Add Phone' }));
    // The new field is selected: the panel shows its properties.
    expect(within(panel()).getByLabelText('Key')).toHaveValue('phone');
    const enLabel = within(panel()).getByLabelText('Label (English)');
    await user.clear(enLabel);
    await user.type(enLabel, 'Mobile phone');
    expect(within(canvas()).getByRole('button', { name: 'Mobile phone' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(within(panel()).getByLabelText('Required'));
    const key = within(panel()).getByLabelText('Key');
    await user.clear(key);
    await user.type(key, 'Mobile');
    expect(within(panel()).getByText(/Use lowercase letters/)).toBeInTheDocument();
    await user.clear(key);
    await user.type(key, 'mobile');

    await user.click(screen.getByRole('button', { name: 'Add Select' }));
    const value = within(panel()).getByLabelText('Value of option 1');
    await user.clear(value);
    await user.type(value, 'branch');
    const option = within(panel()).getByLabelText('Option 1 (English)');
    await user.clear(option);
    await user.type(option, 'Branch');

    await user.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = screen.getByRole('region', { name: 'Preview' });
    expect(within(preview).getByRole('textbox', { name: 'Mobile phone *' })).toBeInTheDocument();
    const select = within(preview).getByRole('combobox', { name: 'Select' });
    expect(within(select).getByRole('option', { name: 'Branch' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText(/Draft saved/);
    const saved = puts()[0]!;
    const schema = saved['schema'] as { properties: Record<string, unknown>; required: string[] };
    expect(schema.properties['mobile']).toEqual({ type: 'string', pattern: '^(\\+86)?1[3-9]\\d{9}$' });
    expect(schema.properties['select']).toEqual({ type: 'string', enum: ['branch', 'option_2'] });
    expect(schema.required).toEqual(['mobile']);
    expect((saved['fields'] as Record<string, unknown>)['mobile']).toEqual({
      label: { 'zh-CN': '手机号码', en: 'Mobile phone' },
      widget: 'phone',
      sensitive: true,
      mask: 'phone',
    });
    expect((saved['layout'] as { sections: Array<{ fields: string[] }> }).sections[0]!.fields).toEqual(['mobile', 'select']);
  });

  it('reorders fields with the keyboard: Space picks up, arrows move, Space drops', async () => {
    const restore = layOutByDocumentOrder();
    try {
      const { user, puts } = renderDesigner('intake', { draft: threeFields() });
      const handle = await screen.findByRole('button', { name: 'Move Beta' });
      handle.focus();
      await user.keyboard('[Space]');
      await user.keyboard('[ArrowUp]');
      await user.keyboard('[Space]');
      await waitFor(() => expect(fieldOrder()).toEqual(['b', 'a', 'c']));
      // And down past Gamma.
      screen.getByRole('button', { name: 'Move Alpha' }).focus();
      await user.keyboard('[Space]');
      await user.keyboard('[ArrowDown]');
      await user.keyboard('[Space]');
      await waitFor(() => expect(fieldOrder()).toEqual(['b', 'c', 'a']));
      await user.click(screen.getByRole('button', { name: 'Save draft' }));
      await screen.findByText(/Draft saved/);
      expect((puts()[0]!['layout'] as { sections: Array<{ fields: string[] }> }).sections[0]!.fields).toEqual(['b', 'c', 'a']);
    } finally {
      restore();
    }
  });

  it('shows one chip under the pointer from the pick-up of a palette item, the drag library’s once it renders, and none after', async () => {
    renderDesigner('intake', { draft: threeFields() });
    const handle = await screen.findByRole('button', { name: 'Drag Text onto the form' });
    const chips = () => Array.from(document.querySelectorAll('.drag-chip'));
    fireEvent.pointerDown(handle, { isPrimary: true, button: 0, clientX: 10, clientY: 10 });
    fireEvent.pointerMove(document, { clientX: 20, clientY: 14 });
    expect(chips().map((c) => c.textContent)).toEqual(['Text']);
    // The library's overlay sits in the designer; the chip the pick-up drew, in the body.
    expect(chips()[0]!.closest('.designer')).not.toBeNull();
    fireEvent.pointerUp(document, { clientX: 20, clientY: 14 });
    await waitFor(() => expect(chips()).toEqual([]));
  });

  it('shows each server problem on the property it is about, until it is fixed, then publishes', async () => {
    // The stand-in server refuses a pattern with an unclosed bracket, as the compiler does.
    const check = (body: JsonObject) => {
      const props = (body['schema'] as { properties: Record<string, { pattern?: string }> }).properties;
      return Object.entries(props)
        .filter(([, p]) => p.pattern?.includes('[') && !p.pattern.includes(']'))
        .map(([name]) => ({ path: `/schema/properties/${name}/pattern`, code: 'pattern_syntax', message: 'missing closing ]' }));
    };
    const { user, server } = renderDesigner('intake', { draft: blank() }, check);
    await screen.findByRole('heading', { name: 'Design: Intake', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Add Phone' }));
    const pattern = within(panel()).getByLabelText('Pattern (regular expression)');
    await user.clear(pattern);
    await user.type(pattern, '^1[[3-9\\d{{9}$');
    await user.click(screen.getByRole('button', { name: 'Publish' }));

    expect(await screen.findByText('Not published: one problem; the field concerned is marked.')).toBeInTheDocument();
    expect(pattern).toHaveAttribute('aria-invalid', 'true');
    expect(within(panel()).getByText('Not a regular expression the server understands: missing closing ]')).toBeInTheDocument();
    expect(within(canvas()).getByText(/Problems: 1/)).toBeInTheDocument();
    expect(server.sent.some((r) => r.path.endsWith('/publish'))).toBe(false);

    await user.clear(pattern);
    await user.type(pattern, '^1[[3-9]\\d{{9}$');
    expect(pattern).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Published as version 1.')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Open the records' })).toHaveAttribute('href', '/forms/intake/records');
  });

  it('places the problems of a refused publish on their fields', async () => {
    const fake = designerServer('intake', { draft: threeFields() });
    fake.routes['POST /api/v1/t/demo/definitions/form/intake/publish'] = () => ({
      status: 422,
      body: {
        error: {
          code: 'invalid_definition',
          message: 'The definition is not valid; see fields.',
          fields: [
            { path: '/fields/b/label/en', code: 'minLength', message: 'must be at least 1 characters long', params: { limit: 1 } },
            { path: '/layout/sections/0/key', code: 'duplicate_section', message: 'dup' },
            { path: '/decisions/score/field', code: 'unknown_field', message: 'names no field of the form' },
          ],
        },
      },
    });
    renderApp({ url: '/designer/forms/intake', user: admin, routes: fake.routes });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Not published: 3 problems; the fields concerned are marked.')).toBeInTheDocument();
    expect(within(canvas()).getAllByText(/Problems: 1/)).toHaveLength(2);
    await user.click(within(canvas()).getByRole('button', { name: 'Beta' }));
    expect(within(panel()).getByText('Too short: at least 1 characters.')).toBeInTheDocument();
    expect(within(panel()).getByLabelText('Label (English)')).toHaveAttribute('aria-invalid', 'true');
    await user.click(within(canvas()).getByRole('button', { name: 'Basic information' }));
    expect(within(panel()).getByText('Another section already has this key.')).toBeInTheDocument();
    // A problem of the form itself is reached from the status line.
    await user.click(screen.getByRole('button', { name: 'Problems of the form: 1' }));
    expect(within(panel()).getByText('Names no field of the form.')).toBeInTheDocument();
  });

  it('rolls back to an earlier version after confirmation, and not without', async () => {
    const v1 = threeFields();
    const v2 = structuredClone(v1);
    (v2['fields'] as Record<string, { label: Record<string, string> }>)['a']!.label = { en: 'Alpha two' };
    const { user, state, server, puts } = renderDesigner('intake', { draft: v2, versions: [v1, v2] });
    await screen.findByRole('button', { name: 'Alpha two' });
    await user.click(screen.getByRole('button', { name: 'Versions' }));
    const versions = screen.getByRole('table', { name: 'Versions' });
    expect(within(versions).getByRole('rowheader', { name: '2 (current)' })).toBeInTheDocument();

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await user.click(within(versions).getByRole('button', { name: 'Roll back to version 1' }));
    expect(server.sent.some((r) => r.path.endsWith('/rollback'))).toBe(false);
    await user.click(within(versions).getByRole('button', { name: 'Roll back to version 1' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Roll back to version 1?'));
    expect(await screen.findByText(/Rolled back: version 3 publishes version 1 again/)).toBeInTheDocument();
    expect(server.sent.find((r) => r.path.endsWith('/rollback'))?.body).toEqual({ to: 1 });
    expect(state.versions.map((v) => v.rollback_of ?? 0)).toEqual([0, 0, 1]);
    expect(puts().at(-1)).toEqual(v1);
    expect(within(canvas()).getByRole('button', { name: 'Alpha' })).toBeInTheDocument();
    expect(await within(screen.getByRole('table', { name: 'Versions' })).findByRole('rowheader', { name: /3 \(current\)/ })).toBeInTheDocument();
  });

  it('speaks Chinese throughout, and labels new fields in both languages', async () => {
    const { user, puts } = renderDesigner('intake', { draft: blank() }, undefined, 'zh-CN');
    await screen.findByRole('heading', { name: '设计：进件', level: 1 });
    await user.click(screen.getByRole('button', { name: '添加身份证号' }));
    expect(screen.getByRole('complementary', { name: '属性' })).toHaveTextContent('类型：身份证号');
    await user.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText(/草稿已保存/);
    expect((puts()[0]!['fields'] as Record<string, { label: unknown }>)['id_number']!.label).toEqual({ 'zh-CN': '身份证号', en: 'ID number' });
  });
});

/** fieldOrder reads the fields of the canvas in the order shown. */
function fieldOrder(): string[] {
  return Array.from(canvas().querySelectorAll('[data-field]')).map((el) => el.getAttribute('data-field') ?? '');
}

/**
 * layOutByDocumentOrder gives every element a box from its place in the document (jsdom
 * lays nothing out): one row per element, a box spanning the rows of everything inside
 * it, so lists stack top to bottom as on screen and the keyboard sensor can find the
 * item above or below.
 */
function layOutByDocumentOrder(): () => void {
  const original = Element.prototype.getBoundingClientRect;
  const row = 40;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const all = Array.from(document.body.querySelectorAll('*'));
    const start = all.indexOf(this);
    const inside = this.querySelectorAll('*');
    const last = inside.length > 0 ? all.indexOf(inside[inside.length - 1]!) : start;
    const top = Math.max(0, start) * row;
    const height = (last - start + 1) * row;
    return { x: 0, y: top, top, left: 0, width: 600, height, right: 600, bottom: top + height, toJSON: () => ({}) } as DOMRect;
  };
  return () => {
    Element.prototype.getBoundingClientRect = original;
  };
}
