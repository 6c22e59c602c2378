import { ApiError } from './apiError';
import { problemsAt } from './problemsAt';

describe('problemsAt', () => {
  const err = new ApiError({
    status: 422,
    code: 'validation_failed',
    message: 'bad',
    fields: [
      { path: '/slug', code: 'invalid_slug', message: 'bad slug' },
      { path: '/admin/email', code: 'invalid_email', message: 'bad email' },
    ],
  });

  it('finds the problems of one field', () => {
    expect(problemsAt(err, '/slug').map((p) => p.code)).toEqual(['invalid_slug']);
    expect(problemsAt(err, '/name')).toEqual([]);
  });

  it('finds the problems of any of a field’s pointers', () => {
    expect(problemsAt(err, ['/email', '/admin/email']).map((p) => p.code)).toEqual(['invalid_email']);
  });

  it('finds nothing in other errors', () => {
    expect(problemsAt(new Error('x'), '/slug')).toEqual([]);
  });
});
