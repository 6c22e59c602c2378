import { isObject } from './isObject';

describe('isObject', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ['x', false],
    [1, false],
    [undefined, false],
  ])('%j → %s', (value, want) => {
    expect(isObject(value)).toBe(want);
  });
});
