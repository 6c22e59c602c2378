import { ApiError, NETWORK_ERROR } from './apiError';

/** ErrorText names the catalogue entry that explains an error, with its values. */
export interface ErrorText {
  key:
    | 'errors.invalid_credentials'
    | 'errors.rate_limited'
    | 'errors.rate_limited_later'
    | 'errors.unauthenticated'
    | 'errors.forbidden'
    | 'errors.csrf_failed'
    | 'errors.not_found'
    | 'errors.already_exists'
    | 'errors.validation_failed'
    | 'errors.network'
    | 'errors.bad_response'
    | 'errors.internal'
    | 'errors.unavailable'
    | 'errors.task_closed'
    | 'errors.version_conflict'
    | 'errors.invalid_action'
    | 'errors.invalid_query'
    | 'errors.no_candidates'
    | 'errors.flows_disabled'
    | 'errors.dashboards_disabled'
    | 'errors.other';
  values: Record<string, string | number>;
}

const BY_CODE: Record<string, ErrorText['key']> = {
  invalid_credentials: 'errors.invalid_credentials',
  unauthenticated: 'errors.unauthenticated',
  forbidden: 'errors.forbidden',
  csrf_failed: 'errors.csrf_failed',
  not_found: 'errors.not_found',
  already_exists: 'errors.already_exists',
  validation_failed: 'errors.validation_failed',
  [NETWORK_ERROR]: 'errors.network',
  unavailable: 'errors.unavailable',
  task_closed: 'errors.task_closed',
  version_conflict: 'errors.version_conflict',
  invalid_action: 'errors.invalid_action',
  invalid_query: 'errors.invalid_query',
  no_candidates: 'errors.no_candidates',
  flows_disabled: 'errors.flows_disabled',
  dashboards_disabled: 'errors.dashboards_disabled',
};

/**
 * describeError turns any thrown value into words from the catalogue: the server's
 * stable code picks the sentence, so it reads in the person's language; an unknown code
 * falls back to the server's own (English) message.
 */
export function describeError(err: unknown): ErrorText {
  if (!(err instanceof ApiError)) return { key: 'errors.other', values: { message: String(err) } };
  if (err.code === 'rate_limited') {
    return err.retryAfter
      ? { key: 'errors.rate_limited', values: { seconds: err.retryAfter } }
      : { key: 'errors.rate_limited_later', values: {} };
  }
  if (err.code === 'internal') return { key: 'errors.internal', values: { id: err.errorId ?? err.requestId ?? '?' } };
  if (err.code === 'bad_response') return { key: 'errors.bad_response', values: { status: err.status } };
  const key = BY_CODE[err.code];
  return key ? { key, values: {} } : { key: 'errors.other', values: { message: err.message } };
}
