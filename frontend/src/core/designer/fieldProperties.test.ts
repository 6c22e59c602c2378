import { fieldProperties } from './fieldProperties';
import { newField } from './newField';

const words = { label: { en: 'F' }, option: (n: number) => ({ en: `O${n}` }), column: { en: 'Item' } };

describe('fieldProperties', () => {
  it('offers lengths, a pattern, a mask, an index and an expression for a top-level phone', () => {
    expect(fieldProperties(newField('phone', [], words), false)).toEqual([
      'key', 'label', 'help', 'placeholder', 'required', 'minLength', 'maxLength', 'pattern', 'sensitive', 'mask', 'indexed', 'computed',
    ]);
  });

  it('offers neither index nor expression on a column', () => {
    const props = fieldProperties(newField('phone', [], words), true);
    expect(props).not.toContain('indexed');
    expect(props).not.toContain('computed');
  });

  it('offers what fits each kind', () => {
    expect(fieldProperties(newField('number', [], words), false)).toEqual(expect.arrayContaining(['minimum', 'maximum', 'integer']));
    expect(fieldProperties(newField('select', [], words), false)).toContain('options');
    expect(fieldProperties(newField('select', [], words), false)).not.toContain('pattern');
    expect(fieldProperties(newField('checkboxes', [], words), false)).toEqual(expect.arrayContaining(['options', 'minItems', 'maxItems']));
    expect(fieldProperties(newField('yes_no', [], words), false)).toContain('mustCheck');
    const table = fieldProperties(newField('subtable', [], words), false);
    expect(table).toEqual(['key', 'label', 'help', 'placeholder', 'required', 'minItems', 'maxItems']);
    expect(fieldProperties(newField('date', [], words), false)).not.toContain('pattern');
  });
});
