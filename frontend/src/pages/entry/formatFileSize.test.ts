import { formatFileSize } from './formatFileSize';

describe('formatFileSize', () => {
  it.each([
    [0, 'en', '0 B'],
    [1023, 'en', '1,023 B'],
    [1536, 'en', '1.5 KB'],
    [10 * 1024 * 1024, 'en', '10 MB'],
    [1234567, 'zh-CN', '1.2 MB'],
    [5 * 1024 ** 4, 'en', '5,120 GB'],
  ])('%d bytes in %s is %s', (bytes, locale, want) => {
    expect(formatFileSize(bytes, locale)).toBe(want);
  });
});
