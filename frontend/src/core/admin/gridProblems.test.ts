import { ApiError } from '../api/apiError';
import { gridProblems } from './gridProblems';

describe('gridProblems', () => {
  it('puts each problem on the cell that wrote the rule it names, and the others on the role', () => {
    const err = new ApiError({
      status: 422, code: 'validation_failed', message: 'see fields',
      fields: [
        { path: '/permissions/2/action', code: 'action_not_allowed', message: 'no' },
        { path: '/permissions/0/object', code: 'invalid_object', message: 'old rule' },
        { path: '', code: 'read_only', message: 'admin' },
      ],
    });
    expect(gridProblems(err, [null, null, 'field:phone'])).toEqual({
      'field:phone': [{ path: '/permissions/2/action', code: 'action_not_allowed', message: 'no' }],
      '': [
        { path: '/permissions/0/object', code: 'invalid_object', message: 'old rule' },
        { path: '', code: 'read_only', message: 'admin' },
      ],
    });
  });

  it('places nothing for errors that are not the server’s', () => {
    expect(gridProblems(new Error('x'), [])).toEqual({});
  });
});
