/** CsrfStore keeps the session's CSRF token, which the server hands out only at login. */
export interface CsrfStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

const KEY = 'credo.csrf';

/**
 * createCsrfStore keeps the token in storage so a reload or a second tab of the same
 * session can still send it (the session cookie itself is HttpOnly).
 *
 * @example
 * const csrf = createCsrfStore(window.localStorage);
 */
export function createCsrfStore(storage: Storage): CsrfStore {
  return {
    get: () => storage.getItem(KEY),
    set: (token) => storage.setItem(KEY, token),
    clear: () => storage.removeItem(KEY),
  };
}
