import { formatMoney } from './formatMoney';

describe('formatMoney', () => {
  it.each([
    [165000, 'zh-CN', 'CNY', '¥165,000.00'],
    [165000, 'en', 'CNY', 'CN¥165,000.00'],
    [1234.5, 'en', 'USD', '$1,234.50'],
    [224391.96000000002, 'zh-CN', 'CNY', '¥224,391.96'],
  ])('%s in %s (%s) is %s', (amount, locale, currency, want) => {
    expect(formatMoney(amount, locale, currency)).toBe(want);
  });
});
