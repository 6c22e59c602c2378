import { formatDate } from './formatDate';

describe('formatDate', () => {
  it.each([
    ['2002-10-07', 'en', 'Oct 7, 2002'],
    ['2002-10-07', 'zh-CN', '2002年10月7日'],
    ['1980******', 'en', '1980******'],
    ['not a date', 'zh-CN', 'not a date'],
  ])('%s in %s is %s', (value, locale, want) => {
    expect(formatDate(value, locale)).toBe(want);
  });
});
