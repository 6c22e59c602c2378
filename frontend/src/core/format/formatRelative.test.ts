import { formatRelative } from './formatRelative';

const now = new Date('2026-11-23T12:00:00Z');

describe('formatRelative', () => {
  it.each([
    ['2026-11-25T13:00:00Z', 'en', 'in 2 days'],
    ['2026-11-23T07:00:00Z', 'en', '5 hours ago'],
    ['2026-11-23T07:00:00Z', 'zh-CN', '5小时前'],
    ['2026-11-23T12:30:00Z', 'en', 'in 30 minutes'],
    ['2026-11-23T12:00:20Z', 'en', 'now'],
    ['soon', 'en', 'soon'],
  ])('%s in %s is %s', (iso, locale, want) => {
    expect(formatRelative(iso, now, locale)).toBe(want);
  });
});
