import { fieldKind } from './fieldKind';

const node = (widget: unknown, schema: unknown = {}) => ({ id: 'n', name: 'f', schema, meta: { label: { en: 'F' }, widget } }) as Parameters<typeof fieldKind>[0];

describe('fieldKind', () => {
  it.each([
    ['phone', {}, 'phone'],
    ['checkbox', { type: 'boolean' }, 'yes_no'],
    ['checkbox', { type: 'array', items: { type: 'string' } }, 'checkboxes'],
    ['decision', { type: 'object' }, 'decision'],
    ['tags', {}, 'tags'],
    ['slider', {}, 'unknown'],
    [undefined, {}, 'unknown'],
  ])('%s on %j is %s', (widget, schema, want) => {
    expect(fieldKind(node(widget, schema))).toBe(want);
  });
});
