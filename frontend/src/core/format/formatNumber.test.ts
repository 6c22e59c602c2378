import { formatNumber } from './formatNumber';

describe('formatNumber', () => {
  it.each([
    [1234567.5, 'en', '1,234,567.5'],
    [1234567.5, 'zh-CN', '1,234,567.5'],
    [1234567.5, 'de', '1.234.567,5'],
    [0.31333191980587555, 'en', '0.31'],
    [-42, 'en', '-42'],
  ])('%s in %s is %s', (value, locale, want) => {
    expect(formatNumber(value, locale)).toBe(want);
  });
});
