import { ApiError, BAD_RESPONSE, NETWORK_ERROR, type FieldProblem } from './apiError';
import type { CsrfStore } from './csrfStore';

/** CSRF_HEADER is the header the server checks on every unsafe request of a cookie session. */
export const CSRF_HEADER = 'X-CSRF-Token';

export interface ApiClientOptions {
  csrf: CsrfStore;
  /** fetch defaults to the browser's; tests hand in their own network. */
  fetch?: typeof fetch;
  /** base is the API prefix (default /api/v1). */
  base?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    fields?: FieldProblem[];
    request_id?: string;
    error_id?: string;
  };
}

/**
 * ApiClient calls Credo's HTTP API with the session cookie, sending the CSRF token on
 * every unsafe method, and turns every failure into an ApiError.
 */
export class ApiClient {
  readonly csrf: CsrfStore;
  private readonly fetchFn: typeof fetch;
  private readonly base: string;
  private readonly sessionLost = new Set<() => void>();

  constructor(opts: ApiClientOptions) {
    this.csrf = opts.csrf;
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.base = opts.base ?? '/api/v1';
  }

  /**
   * onSessionLost registers fn to run whenever the server says the session is gone
   * (expired, logged out elsewhere, tenant suspended); it returns the unsubscribe.
   */
  onSessionLost(fn: () => void): () => void {
    this.sessionLost.add(fn);
    return () => this.sessionLost.delete(fn);
  }

  /**
   * href is the URL of an API path for the browser to load itself (an <img> of a chart):
   * the session cookie authenticates it like any same-origin GET.
   */
  href(path: string, query?: Record<string, string | number | undefined>): string {
    return this.base + withQuery(path, query);
  }

  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.request<T>('POST', withQuery(path, query), body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    // A FormData body (a file upload) goes as multipart; the browser sets its boundary.
    const multipart = body instanceof FormData;
    if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
    const token = this.csrf.get();
    if (method !== 'GET' && token) headers[CSRF_HEADER] = token;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = multipart ? body : JSON.stringify(body);
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, init);
    } catch (cause) {
      throw new ApiError({ status: 0, code: NETWORK_ERROR, message: String(cause) });
    }
    if (!res.ok) {
      const err = await errorOf(res);
      if (err.code === 'unauthenticated') this.sessionLost.forEach((fn) => fn());
      throw err;
    }
    if (res.status === 204) return undefined as T;
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError({ status: res.status, code: BAD_RESPONSE, message: 'The server answered something that is not JSON.' });
    }
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // A proxy's HTML error page: keep the status, say what it was.
  }
  const e = body.error ?? {};
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError({
    status: res.status,
    code: e.code ?? BAD_RESPONSE,
    message: e.message ?? `HTTP ${res.status}`,
    fields: e.fields,
    requestId: e.request_id,
    errorId: e.error_id,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
  });
}

function withQuery(path: string, query?: Record<string, string | number | undefined>): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
