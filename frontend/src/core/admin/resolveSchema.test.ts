import { resolveSchema } from './resolveSchema';

const root = {
  $defs: {
    limit: { type: 'object', description: 'A limit', properties: { max: { type: 'integer' } } },
    alias: { $ref: '#/$defs/limit' },
    'a/b': { type: 'string' },
  },
};

describe('resolveSchema', () => {
  it('follows local references, keeping the keywords beside them', () => {
    expect(resolveSchema({ $ref: '#/$defs/limit', description: 'Per phone' }, root)).toEqual({
      type: 'object', description: 'Per phone', properties: { max: { type: 'integer' } },
    });
    expect(resolveSchema({ $ref: '#/$defs/alias' }, root)).toEqual(root.$defs.limit);
    expect(resolveSchema({ $ref: '#/$defs/a~1b' }, root)).toEqual({ type: 'string' });
  });

  it('leaves what it cannot follow', () => {
    expect(resolveSchema({ $ref: 'https://example.com/s.json' }, root)).toEqual({ $ref: 'https://example.com/s.json' });
    expect(resolveSchema({ $ref: '#/$defs/none' }, root)).toEqual({ $ref: '#/$defs/none' });
    expect(resolveSchema({ type: 'number' }, root)).toEqual({ type: 'number' });
  });
});
