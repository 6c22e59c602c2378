import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { Root } from '../src/app/Root';
import { ApiClient } from '../src/core/api/client';
import { createCsrfStore } from '../src/core/api/csrfStore';
import type { Principal } from '../src/core/api/types';
import { createI18n } from '../src/i18n/createI18n';
import type { Language } from '../src/i18n/languages';
import { fakeServer, type Handler } from './fakeServer';

export const reviewer: Principal = {
  id: 'u-1',
  email: 'auditor@demo.credo',
  name: '陈静',
  tenant: 'demo',
  roles: ['auditor'],
  platform_admin: false,
};

export const platformAdmin: Principal = {
  id: 'u-0',
  email: 'admin@credo.local',
  name: 'Platform administrator',
  tenant: '_platform',
  roles: ['admin'],
  platform_admin: true,
};

/**
 * renderApp renders the whole app at url over a fake network. With user set, the
 * session cookie is "valid" for that user and the CSRF token is the one login gave.
 */
export function renderApp(opts: { url: string; routes?: Record<string, Handler>; user?: Principal; language?: Language }) {
  const routes: Record<string, Handler> = {
    'GET /api/v1/auth/me': () =>
      opts.user ? { body: opts.user } : { status: 401, body: { error: { code: 'unauthenticated', message: 'Log in' } } },
    ...opts.routes,
  };
  if (opts.user) localStorage.setItem('credo.csrf', 'csrf-token-1');
  const server = fakeServer(routes);
  const api = new ApiClient({ csrf: createCsrfStore(localStorage), fetch: server.fetch });
  const i18n = createI18n(opts.language ?? 'en');
  const view = render(
    <MemoryRouter initialEntries={[opts.url]}>
      <Root api={api} i18n={i18n} />
    </MemoryRouter>,
  );
  return { ...view, server, i18n };
}
