import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError } from '../../test/fakeServer';
import { platformAdmin, renderApp, reviewer } from '../../test/renderApp';

async function logIn(tenant: string, email: string, password: string) {
  const user = userEvent.setup();
  if (tenant) await user.type(await screen.findByLabelText('Tenant'), tenant);
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('LoginPage', () => {
  it('says in words that the password, tenant or email is wrong', async () => {
    renderApp({
      url: '/login',
      routes: { 'POST /api/v1/auth/login': () => apiError(401, 'invalid_credentials', 'Wrong tenant, email or password.') },
    });
    await logIn('demo', 'auditor@demo.credo', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Wrong tenant, email or password. A suspended tenant or a disabled account cannot log in either.',
    );
  });

  it('says how long to wait when rate limited', async () => {
    renderApp({
      url: '/login',
      routes: {
        'POST /api/v1/auth/login': () => ({ ...apiError(429, 'rate_limited', 'Too many attempts.'), headers: { 'Retry-After': '42' } }),
      },
    });
    await logIn('demo', 'auditor@demo.credo', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 42 seconds.');
  });

  it('shows the refusal in Chinese when Chinese is chosen', async () => {
    renderApp({
      url: '/login',
      language: 'zh-CN',
      routes: { 'POST /api/v1/auth/login': () => apiError(401, 'invalid_credentials', 'Wrong tenant, email or password.') },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('邮箱'), 'a@b.c');
    await user.type(screen.getByLabelText('密码'), 'x');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('租户、邮箱或密码错误。已停用的租户或账号也无法登录。');
  });

  it('logs a tenant user in, opens the forms and sends the CSRF token on logout', async () => {
    const { server } = renderApp({
      url: '/login',
      routes: {
        'POST /api/v1/auth/login': () => ({ body: { csrf_token: 'tok-9', expires_at: '', user: reviewer } }),
        'GET /api/v1/t/demo/definitions/form': () => ({ body: { definitions: [] } }),
        'POST /api/v1/auth/logout': () => ({ status: 204 }),
      },
    });
    await logIn('demo', 'auditor@demo.credo', 'right-password');
    expect(await screen.findByRole('heading', { name: 'Forms' })).toBeInTheDocument();
    expect(server.sent.find((r) => r.path === '/api/v1/auth/login')?.body).toEqual({
      tenant: 'demo',
      email: 'auditor@demo.credo',
      password: 'right-password',
    });

    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in to Credo' })).toBeInTheDocument();
    const logout = server.sent.find((r) => r.path === '/api/v1/auth/logout');
    expect(logout?.headers['X-CSRF-Token']).toBe('tok-9');
  });

  it('logs the platform administrator in with no tenant and opens the tenant list', async () => {
    renderApp({
      url: '/login',
      routes: {
        'POST /api/v1/auth/login': () => ({ body: { csrf_token: 'tok-1', expires_at: '', user: platformAdmin } }),
        'GET /api/v1/tenants': () => ({ body: { tenants: [] } }),
      },
    });
    await logIn('', 'admin@credo.local', 'platform-password');
    expect(await screen.findByRole('heading', { name: 'Tenants' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Tenants' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Forms' })).not.toBeInTheDocument();
  });

  it('sends an anonymous visitor to the login page', async () => {
    renderApp({ url: '/forms' });
    expect(await screen.findByRole('heading', { name: 'Log in to Credo' })).toBeInTheDocument();
  });
});
