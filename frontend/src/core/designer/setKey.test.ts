import { setKey } from './setKey';

describe('setKey', () => {
  it('sets a new key at the end and an existing one in its place', () => {
    expect(Object.keys(setKey({ a: 1, b: 2 }, 'c', 3))).toEqual(['a', 'b', 'c']);
    expect(Object.entries(setKey({ a: 1, b: 2 }, 'a', 9))).toEqual([['a', 9], ['b', 2]]);
  });

  it('removes a key given undefined and leaves the original alone', () => {
    const obj = { a: 1, b: 2 };
    expect(setKey(obj, 'a', undefined)).toEqual({ b: 2 });
    expect(obj).toEqual({ a: 1, b: 2 });
  });

  it('keeps "__proto__" an ordinary key', () => {
    const out = setKey({}, '__proto__', { polluted: true });
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
