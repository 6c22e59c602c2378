import { optionsOf } from './optionsOf';

describe('optionsOf', () => {
  it('reads the options, skipping entries without a usable value', () => {
    const node = {
      id: 'n',
      name: 'term',
      schema: { type: 'integer' },
      meta: { widget: 'select', options: [{ value: 12, label: { en: '12 months' } }, { value: null }, 'x', { value: 24 }] },
    };
    expect(optionsOf(node)).toEqual([
      { value: 12, label: { en: '12 months' } },
      { value: 24, label: {} },
    ]);
    expect(optionsOf({ id: 'n', name: 'x', schema: undefined, meta: undefined })).toEqual([]);
  });
});
