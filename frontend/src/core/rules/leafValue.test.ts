import { parseLeafValue } from './leafValue';
import { leafValueText } from './leafValueText';

describe('parseLeafValue and leafValueText', () => {
  it('reads values by kind and operator', () => {
    expect(parseLeafValue('100000', 'number', 'gt')).toBe(100000);
    expect(parseLeafValue('12', 'string', 'eq')).toBe('12');
    expect(parseLeafValue('true', 'boolean', 'eq')).toBe(true);
    expect(parseLeafValue('lots', 'number', 'gt')).toBe('lots');
    expect(parseLeafValue('6, 12', 'integer', 'in')).toEqual([6, 12]);
    expect(parseLeafValue(' ', 'number', 'gt')).toBeUndefined();
    expect(parseLeafValue('x', 'number', 'is_set')).toBeUndefined();
  });

  it('writes values back for the input', () => {
    expect(leafValueText(['a', 'b'])).toBe('a, b');
    expect(leafValueText(100000)).toBe('100000');
    expect(leafValueText(undefined)).toBe('');
    expect(leafValueText(parseLeafValue('a, b', 'string', 'in'))).toBe('a, b');
  });
});
