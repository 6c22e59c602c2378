import { ApiError } from './apiError';
import { describeError } from './describeError';

const apiError = (code: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ status: 400, code, message: `server says ${code}`, ...extra });

describe('describeError', () => {
  it.each([
    ['a wrong password', apiError('invalid_credentials'), { key: 'errors.invalid_credentials', values: {} }],
    ['a rate limit with its wait', apiError('rate_limited', { retryAfter: 31 }), { key: 'errors.rate_limited', values: { seconds: 31 } }],
    ['a rate limit without a wait', apiError('rate_limited'), { key: 'errors.rate_limited_later', values: {} }],
    ['a server fault with its id', apiError('internal', { errorId: 'ab12' }), { key: 'errors.internal', values: { id: 'ab12' } }],
    ['a task someone closed', apiError('task_closed'), { key: 'errors.task_closed', values: {} }],
    ['a task changed since read', apiError('version_conflict'), { key: 'errors.version_conflict', values: {} }],
    ['an unreachable server', apiError('network'), { key: 'errors.network', values: {} }],
    ['an unknown code', apiError('plugin_timeout'), { key: 'errors.other', values: { message: 'server says plugin_timeout' } }],
    ['anything else thrown', new TypeError('boom'), { key: 'errors.other', values: { message: 'TypeError: boom' } }],
  ])('%s', (_name, err, want) => {
    expect(describeError(err)).toEqual(want);
  });
});
