import { keyMatch } from './keyMatch';

describe('keyMatch', () => {
  it.each([
    ['form:loan/field:amount', 'form:loan/*', true],
    ['form:loan', 'form:loan/*', false],
    ['form:loan/', 'form:loan/*', true],
    ['form:loan', 'form:*', true],
    ['form:loan/field:amount', 'form:*', true],
    ['flow:loan', 'form:*', false],
    ['anything', '*', true],
    ['form:loan', 'form:loan', true],
    ['form:loan_application', 'form:loan', false],
    ['form:', 'form:*', true],
  ])('%s against %s is %s', (key, pattern, want) => {
    expect(keyMatch(key, pattern)).toBe(want);
  });
});
