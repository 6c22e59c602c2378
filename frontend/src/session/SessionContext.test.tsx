import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError } from '../../test/fakeServer';
import { renderApp, reviewer } from '../../test/renderApp';

const loanRoutes = (sessionAlive: () => boolean) => ({
  'GET /api/v1/t/demo/forms/loan_application/access': () =>
    sessionAlive() ? { body: { form: 'loan_application', version: 1, fields: [], row_scoped: false } } : apiError(401, 'unauthenticated', 'Log in'),
  'GET /api/v1/t/demo/forms/loan_application/records': () =>
    sessionAlive() ? { body: { records: [] } } : apiError(401, 'unauthenticated', 'Log in'),
  'GET /api/v1/t/demo/forms': () => ({ body: { forms: [] } }),
  'POST /api/v1/auth/login': () => ({ body: { csrf_token: 'tok-2', expires_at: '', user: reviewer } }),
  'POST /api/v1/auth/logout': () => ({ status: 204 }),
});

async function logInAgain() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Tenant'), 'demo');
  await user.type(screen.getByLabelText('Email'), reviewer.email);
  await user.type(screen.getByLabelText('Password'), 'pw');
  await user.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('session', () => {
  it('says when the server ended the session and forgets its CSRF token', async () => {
    // The session dies under the person's feet (expired, or the tenant was suspended).
    renderApp({ url: '/forms/loan_application/records', user: reviewer, routes: loanRoutes(() => false) });
    expect(await screen.findByText('Your session has ended. Please log in again.')).toBeInTheDocument();
    expect(localStorage.getItem('credo.csrf')).toBeNull();
  });

  it('starts the next person at home after a logout', async () => {
    renderApp({ url: '/forms/loan_application/records', user: reviewer, routes: loanRoutes(() => true) });
    await screen.findByText('No records you may see.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }));
    await screen.findByRole('heading', { name: 'Log in to Credo' });
    expect(screen.queryByText('Your session has ended. Please log in again.')).not.toBeInTheDocument();
    await logInAgain();
    expect(await screen.findByRole('heading', { name: 'Forms' })).toBeInTheDocument();
  });

  it('returns a visitor to the page they asked for once logged in', async () => {
    renderApp({ url: '/forms/loan_application/records', routes: loanRoutes(() => true) });
    await screen.findByRole('heading', { name: 'Log in to Credo' });
    await logInAgain();
    expect(await screen.findByText('No records you may see.')).toBeInTheDocument();
  });
});
