import { operatorsFor } from './operators';

describe('operatorsFor', () => {
  it('offers what the server accepts for each kind', () => {
    expect(operatorsFor({ kind: 'number' })).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'is_set', 'not_set']);
    expect(operatorsFor({ kind: 'string' })).toContain('contains');
    expect(operatorsFor({ kind: 'boolean' })).toEqual(['eq', 'ne', 'in', 'is_set', 'not_set']);
    expect(operatorsFor({ kind: 'array', items: 'string' })).toEqual(['contains', 'is_set', 'not_set']);
    expect(operatorsFor({ kind: 'array', items: 'object' })).toEqual(['is_set', 'not_set']);
    expect(operatorsFor({ kind: 'object' })).toEqual(['is_set', 'not_set']);
    expect(operatorsFor(undefined)).toHaveLength(9);
  });
});
