import { formatFigure } from './formatFigure';

describe('formatFigure', () => {
  it.each<[number | null, string | undefined, string, string]>([
    [0.7333333333333333, 'percent', 'en', '73.3%'],
    [1, 'percent', 'zh-CN', '100%'],
    [1234567.5, 'money', 'zh-CN', '¥1,234,567.50'],
    [60, 'number', 'en', '60'],
    [17, undefined, 'en', '17'],
    [null, 'percent', 'en', '—'],
  ])('%s as %s in %s is %s', (value, format, locale, want) => {
    expect(formatFigure(value, format, locale, '—')).toBe(want);
  });
});
