import { pickLanguage } from './pickLanguage';

describe('pickLanguage', () => {
  it.each<[string | null, string[], string]>([
    ['en', ['zh-CN'], 'en'],
    ['zh-CN', ['en-US'], 'zh-CN'],
    [null, ['zh-TW', 'en'], 'zh-CN'],
    [null, ['fr-FR', 'en-GB'], 'en'],
    [null, ['fr-FR'], 'en'],
    ['klingon', [], 'en'],
  ])('stored %s, browser %j → %s', (stored, browser, want) => {
    expect(pickLanguage(stored, browser)).toBe(want);
  });
});
