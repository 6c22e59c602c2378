import { previewColumn } from './previewColumn';

describe('previewColumn', () => {
  it('gives the input its label, widget and options', () => {
    const node = {
      id: 'n',
      name: 'term',
      schema: { type: 'integer', enum: [12, 24] },
      meta: { label: { 'zh-CN': '期限', en: 'Term', x: 1 }, widget: 'select', options: [{ value: 12, label: { en: '12 months' } }, { value: 24, label: { en: '24 months' } }] },
    };
    expect(previewColumn(node)).toEqual({
      name: 'term',
      label: { 'zh-CN': '期限', en: 'Term' },
      widget: 'select',
      options: [
        { value: 12, label: { en: '12 months' } },
        { value: 24, label: { en: '24 months' } },
      ],
    });
  });

  it('makes do with a field that has no metadata yet', () => {
    expect(previewColumn({ id: 'n', name: 'x', schema: { type: 'string' }, meta: undefined })).toEqual({ name: 'x' });
  });
});
