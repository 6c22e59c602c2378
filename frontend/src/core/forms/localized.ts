import type { Localized } from '../api/types';

/**
 * localized picks the text of a definition for locale: the exact locale, then its
 * language ("zh" for "zh-TW"), then English, then any text, then fallback.
 *
 * @example
 * localized({ 'zh-CN': '贷款申请', en: 'Loan application' }, 'zh-CN', 'loan') // "贷款申请"
 */
export function localized(text: Localized | undefined, locale: string, fallback: string): string {
  if (!text) return fallback;
  const language = locale.split('-')[0] ?? locale;
  const sameLanguage = Object.keys(text).find((k) => k.split('-')[0] === language);
  return (
    text[locale] ??
    (sameLanguage !== undefined ? text[sameLanguage] : undefined) ??
    text['en'] ??
    Object.values(text)[0] ??
    fallback
  );
}
