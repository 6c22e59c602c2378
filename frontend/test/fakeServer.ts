// A stand-in for the network in component tests: it answers with the server's real
// JSON shapes (see server/openapi.json) and records every request. The real server is
// exercised by the end-to-end run (e2e/shell.e2e.mjs).

export interface SentRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  /** form is a multipart body (a file upload), as sent. */
  form?: FormData;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SentRequest) => Reply;

/** fakeServer routes "METHOD /api/v1/path" (no query) to handlers; the rest is 404. */
export function fakeServer(routes: Record<string, Handler>) {
  const sent: SentRequest[] = [];
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const req: SentRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    if (init.body instanceof FormData) req.form = init.body;
    sent.push(req);
    const handler = routes[`${req.method} ${req.path}`];
    const reply: Reply = handler ? handler(req) : { status: 404, body: { error: { code: 'not_found', message: 'No such resource.' } } };
    const status = reply.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(reply.body ?? {}), {
      status,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  };
  return { fetch, sent };
}

/** apiError is the server's error body. */
export const apiError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: { error: { code, message, request_id: 'req-1', ...extra } },
});
