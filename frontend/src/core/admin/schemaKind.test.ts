import { schemaKind } from './schemaKind';

const root = { $defs: { rule: { enum: ['a', 'b'] } } };

describe('schemaKind', () => {
  it.each([
    [{ type: 'object', properties: {} }, 'object'],
    [{ properties: { a: {} } }, 'object'],
    [{ type: 'string', enum: ['x', 'y'] }, 'enum'],
    [{ enum: [1, 2] }, 'enum'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: ['integer', 'null'] }, 'integer'],
    [{ type: 'number' }, 'number'],
    [{ type: 'string', pattern: '^[A-Z]{3}$' }, 'string'],
    [{ type: 'array', items: { $ref: '#/$defs/rule' } }, 'enum_list'],
    [{ type: 'array', items: { type: 'string' } }, 'string_list'],
    [{ type: 'array', items: { type: 'object' } }, 'json'],
    [{}, 'json'],
  ])('edits %j as %s', (schema, kind) => {
    expect(schemaKind(schema, root)).toBe(kind);
  });
});
