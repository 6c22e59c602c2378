import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Principal } from '../../core/api/types';
import type { JsonObject } from '../../core/designer/types';
import { renderApp } from '../../../test/renderApp';
import { designerServer } from './designerServer';

const admin: Principal = { id: 'u-1', email: 'admin@demo.credo', name: 'Demo administrator', tenant: 'demo', roles: ['admin'], platform_admin: false };
const summary = (key: string) => ({ kind: 'form', key, latest: 1, draft: 'unchanged', draft_valid: true });

function renderNew() {
  const fake = designerServer('intake', {});
  const view = renderApp({
    url: '/designer/new',
    user: admin,
    routes: { ...fake.routes, 'GET /api/v1/t/demo/definitions/form': () => ({ body: { definitions: [summary('customer')] } }) },
  });
  return { ...view, state: fake.state, user: userEvent.setup() };
}

describe('NewFormPage', () => {
  it('creates the form’s first draft and opens the designer on it', async () => {
    const { user, state } = renderNew();
    await user.type(await screen.findByLabelText('Key'), 'intake');
    await user.type(screen.getByLabelText('Title (中文)'), '进件');
    await user.type(screen.getByLabelText('Title (English)'), 'Intake');
    await user.click(screen.getByRole('button', { name: 'Create the form' }));
    expect(await screen.findByRole('heading', { name: 'Design: Intake', level: 1 })).toBeInTheDocument();
    const draft = state.draft as JsonObject;
    expect(draft['key']).toBe('intake');
    expect(draft['title']).toEqual({ 'zh-CN': '进件', en: 'Intake' });
    expect(draft['layout']).toEqual({ sections: [{ key: 'basics', title: { 'zh-CN': '基本信息', en: 'Basic information' }, columns: 2, fields: [] }] });
    expect(screen.getByRole('button', { name: 'Basic information' })).toBeInTheDocument();
  });

  it('refuses a key another form has, and one that is not a key, saving nothing', async () => {
    const { user, server } = renderNew();
    const key = await screen.findByLabelText('Key');
    await user.type(key, 'Customer');
    expect(screen.getByText(/Use lowercase letters/)).toBeInTheDocument();
    expect(key).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Create the form' })).toBeDisabled();
    await user.clear(key);
    await user.type(key, 'customer');
    await user.type(screen.getByLabelText('Title (English)'), 'Customer');
    await user.click(screen.getByRole('button', { name: 'Create the form' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A form with this key exists already.');
    expect(screen.getByRole('link', { name: 'Open it in the designer' })).toHaveAttribute('href', '/designer/forms/customer');
    expect(server.sent.some((r) => r.method === 'PUT')).toBe(false);
  });
});
