import { configForSubmit } from './configForSubmit';

const root = {
  type: 'object',
  properties: {
    limit_cap: { type: 'number' },
    currency: { type: 'string' },
    age: { type: 'object', properties: { min: { type: 'integer' } } },
    velocity: { type: 'object', properties: { phone: { $ref: '#/$defs/limit' } } },
    extra: {},
  },
  $defs: { limit: { type: 'object', properties: { max: { type: 'integer' }, window: { type: 'string' } } } },
};

describe('configForSubmit', () => {
  it('turns number text into numbers through references, leaving empty inputs out', () => {
    expect(
      configForSubmit(root, root, { limit_cap: ' 200000 ', currency: '', age: { min: '18' }, velocity: { phone: { max: '3', window: '24h' } } }),
    ).toEqual({ limit_cap: 200000, age: { min: 18 }, velocity: { phone: { max: 3, window: '24h' } } });
  });

  it('sends text that is not a number as it is, for the server to refuse on its field', () => {
    expect(configForSubmit(root, root, { limit_cap: '12k', age: { min: 1.5 } })).toEqual({ limit_cap: '12k', age: { min: 1.5 } });
  });

  it('parses JSON inputs that parse', () => {
    expect(configForSubmit(root, root, { extra: '{"a":1}' })).toEqual({ extra: { a: 1 } });
    expect(configForSubmit(root, root, { extra: '{a' })).toEqual({ extra: '{a' });
  });
});
