import { formatDuration } from './formatDuration';

describe('formatDuration', () => {
  it.each([
    [14_316, 'en', '14 sec'],
    [14_316, 'zh-CN', '14秒'],
    [2 * 86_400_000 + 3 * 3_600_000 + 59_000, 'en', '2 days 3 hr'],
    [2 * 86_400_000 + 3 * 3_600_000, 'zh-CN', '2天3小时'],
    [2 * 86_400_000 + 5_000, 'en', '2 days'],
    [400, 'en', '0 sec'],
  ])('%s ms in %s is %s', (ms, locale, want) => {
    expect(formatDuration(ms, locale)).toBe(want);
  });
});
