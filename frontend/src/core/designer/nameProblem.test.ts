import { FORM_KEY, nameProblem } from './nameProblem';

describe('nameProblem', () => {
  it.each([
    ['mobile_phone', [], null],
    ['Mobile', [], 'pattern'],
    ['1st', [], 'pattern'],
    ['', [], 'pattern'],
    ['a'.repeat(64), [], null],
    ['a'.repeat(65), [], 'pattern'],
    ['phone', ['phone'], 'taken'],
  ] as const)('%s', (name, taken, want) => {
    expect(nameProblem(name, taken)).toBe(want);
  });

  it('knows a form key is one character shorter', () => {
    expect(nameProblem('a'.repeat(64), [], FORM_KEY)).toBe('pattern');
  });
});
