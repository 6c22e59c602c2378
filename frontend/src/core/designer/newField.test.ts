import { newField } from './newField';

const words = { label: { 'zh-CN': '下拉选择', en: 'Select' }, option: (n: number) => ({ 'zh-CN': `选项 ${n}`, en: `Option ${n}` }), column: { en: 'Item' } };

describe('newField', () => {
  it('names a field after its kind, free among the names taken', () => {
    expect(newField('phone', [], words).name).toBe('phone');
    expect(newField('phone', ['phone'], words).name).toBe('phone_2');
  });

  it('gives a choice field two options matching its enum', () => {
    const f = newField('select', [], words);
    expect(f.schema).toEqual({ type: 'string', enum: ['option_1', 'option_2'] });
    expect(f.meta).toEqual({
      label: words.label,
      widget: 'select',
      options: [
        { value: 'option_1', label: { 'zh-CN': '选项 1', en: 'Option 1' } },
        { value: 'option_2', label: { 'zh-CN': '选项 2', en: 'Option 2' } },
      ],
    });
  });

  it('gives a sub-table one text column and checkboxes an enum on their items', () => {
    expect(newField('subtable', [], words).columns?.nodes.map((c) => c.name)).toEqual(['item']);
    expect(newField('checkboxes', [], words).schema).toMatchObject({ items: { type: 'string', enum: ['option_1', 'option_2'] } });
  });

  it('never shares the catalogue’s objects', () => {
    const a = newField('money', [], words);
    (a.schema as Record<string, unknown>)['minimum'] = 5;
    expect(newField('money', [], words).schema).toEqual({ type: 'number', minimum: 0, multipleOf: 0.01 });
  });
});
