import { updateRequired } from './updateRequired';

describe('updateRequired', () => {
  it('adds to and removes from the list, dropping it when empty', () => {
    const schema = { type: 'object', required: ['a'] };
    expect(updateRequired(schema, (l) => [...l, 'b'])).toEqual({ type: 'object', required: ['a', 'b'] });
    expect(updateRequired(schema, (l) => l.filter((n) => n !== 'a'))).toEqual({ type: 'object' });
    expect(updateRequired({ type: 'object' }, (l) => [...l, 'a'])).toEqual({ type: 'object', required: ['a'] });
  });

  it('returns the same schema when nothing changes, and leaves non-objects alone', () => {
    const schema = { required: ['a'] };
    expect(updateRequired(schema, (l) => l)).toBe(schema);
    expect(updateRequired(undefined, (l) => [...l, 'a'])).toBeUndefined();
  });
});
