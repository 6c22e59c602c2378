import { newId } from './newId';

describe('newId', () => {
  it('never repeats', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newId()));
    expect(ids.size).toBe(50);
  });
});
