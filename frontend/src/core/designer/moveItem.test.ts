import { moveItem } from './moveItem';

describe('moveItem', () => {
  it.each([
    [0, 2, ['b', 'c', 'a']],
    [2, 0, ['c', 'a', 'b']],
    [1, 1, ['a', 'b', 'c']],
    [0, 9, ['b', 'c', 'a']],
    [5, 0, ['a', 'b', 'c']],
  ])('from %i to %i', (from, to, want) => {
    expect(moveItem(['a', 'b', 'c'], from, to)).toEqual(want);
  });
});
