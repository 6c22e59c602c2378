import { isLanguage, type Language } from './languages';

/**
 * pickLanguage chooses the UI language: the one the person chose before, else the first
 * of the browser's languages we have (any Chinese reads the zh-CN catalogue), else English.
 *
 * @example
 * pickLanguage(null, ['zh-TW', 'en']) // "zh-CN"
 */
export function pickLanguage(stored: string | null, browser: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}
