import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import type { ApiClient } from '../core/api/client';
import { SessionProvider } from '../session/SessionContext';
import { ApiProvider } from './ApiContext';
import { AppRoutes } from './AppRoutes';

/**
 * Root wires the app's services around its routes. The router comes from outside:
 * the browser's history in main.tsx, memory in tests.
 *
 * @example
 * <BrowserRouter><Root api={api} i18n={createI18n('en')} /></BrowserRouter>
 */
export function Root({ api, i18n }: { api: ApiClient; i18n: i18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ApiProvider api={api}>
        <SessionProvider>
          <AppRoutes />
        </SessionProvider>
      </ApiProvider>
    </I18nextProvider>
  );
}
