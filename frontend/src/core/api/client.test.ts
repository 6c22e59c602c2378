import { ApiError } from './apiError';
import { ApiClient, CSRF_HEADER } from './client';
import { createCsrfStore } from './csrfStore';
import { login } from './endpoints';

function recordingFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn: typeof fetch = async (input, init = {}) => {
    calls.push({ url: String(input), init });
    return respond(String(input), init);
  };
  return { fn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('ApiClient', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the CSRF token from login and sends it on unsafe methods only', async () => {
    const net = recordingFetch((url) =>
      url.endsWith('/auth/login')
        ? json(200, { csrf_token: 'tok-1', expires_at: '', user: { id: 'u', email: 'a@b.c', name: 'A', tenant: 't', roles: [], platform_admin: false } })
        : json(200, {}),
    );
    const api = new ApiClient({ csrf: createCsrfStore(localStorage), fetch: net.fn });
    await login(api, 'demo', 'a@b.c', 'pw');
    await api.get('/auth/me');
    await api.patch('/tenants/demo', { status: 'suspended' });
    const headers = net.calls.map((c) => (c.init.headers as Record<string, string>)[CSRF_HEADER]);
    expect(headers).toEqual([undefined, undefined, 'tok-1']);
  });

  it('raises the server error with its code, fields and retry delay', async () => {
    const net = recordingFetch(() =>
      json(429, { error: { code: 'rate_limited', message: 'Too many', request_id: 'r1' } }, { 'Retry-After': '12' }),
    );
    const api = new ApiClient({ csrf: createCsrfStore(localStorage), fetch: net.fn });
    const err = await api.post('/auth/login', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 12, requestId: 'r1' });
  });

  it('tells listeners when the session is gone, not on a failed login', async () => {
    let lost = 0;
    const net = recordingFetch((url) =>
      url.endsWith('/auth/login')
        ? json(401, { error: { code: 'invalid_credentials', message: 'Wrong' } })
        : json(401, { error: { code: 'unauthenticated', message: 'Log in' } }),
    );
    const api = new ApiClient({ csrf: createCsrfStore(localStorage), fetch: net.fn });
    api.onSessionLost(() => lost++);
    await api.post('/auth/login', {}).catch(() => undefined);
    expect(lost).toBe(0);
    await api.get('/auth/me').catch(() => undefined);
    expect(lost).toBe(1);
  });

  it('reports an unreachable server as a network error', async () => {
    const api = new ApiClient({
      csrf: createCsrfStore(localStorage),
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(api.get('/auth/me')).rejects.toMatchObject({ code: 'network', status: 0 });
  });
});
