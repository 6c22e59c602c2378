import { ApiError } from '../api/apiError';
import { describeAdminError } from './describeAdminError';

describe('describeAdminError', () => {
  it('words the administration codes, from the server or the wizard’s own checks', () => {
    expect(describeAdminError(new ApiError({ status: 503, code: 'plugins_disabled', message: 'x' }))).toEqual({
      key: 'admin.errors.plugins_disabled', values: {},
    });
    expect(describeAdminError(new Error('legacy_workbook'))).toEqual({ key: 'admin.errors.legacy_workbook', values: {} });
  });

  it('leaves every other error to describeError', () => {
    expect(describeAdminError(new ApiError({ status: 403, code: 'forbidden', message: 'x' }))).toEqual({ key: 'errors.forbidden', values: {} });
    expect(describeAdminError(new Error('boom'))).toEqual({ key: 'errors.other', values: { message: 'Error: boom' } });
  });
});
