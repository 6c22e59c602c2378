import { withLocale } from './withLocale';

describe('withLocale', () => {
  it('sets one locale and keeps the others, other languages included', () => {
    expect(withLocale({ 'zh-CN': '电话', ja: '電話' }, 'en', 'Phone')).toEqual({ 'zh-CN': '电话', ja: '電話', en: 'Phone' });
  });

  it('removes a locale cleared, and gives undefined when none is left', () => {
    expect(withLocale({ 'zh-CN': '电话', en: 'Phone' }, 'en', '')).toEqual({ 'zh-CN': '电话' });
    expect(withLocale({ en: 'Phone' }, 'en', '')).toBeUndefined();
    expect(withLocale(undefined, 'en', 'Phone')).toEqual({ en: 'Phone' });
  });
});
