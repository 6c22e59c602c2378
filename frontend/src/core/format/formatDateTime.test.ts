import { formatDateTime } from './formatDateTime';

describe('formatDateTime', () => {
  it.each([
    ['2026-11-23T19:19:20.932Z', 'en', 'UTC', 'Nov 23, 2026, 7:19 PM'],
    ['2026-11-23T19:19:20.932Z', 'zh-CN', 'Asia/Shanghai', '2026年11月24日 03:19'],
    ['garbage', 'en', 'UTC', 'garbage'],
  ])('%s in %s (%s) is %s', (value, locale, tz, want) => {
    // ICU versions differ in the space before AM/PM (U+202F or U+0020).
    expect(formatDateTime(value, locale, tz).replace(/\s/g, ' ')).toBe(want);
  });
});
