/** LANGUAGES are the languages of the UI, each named in itself for the switcher. */
export const LANGUAGES = [
  { code: 'zh-CN', name: '中文' },
  { code: 'en', name: 'English' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

/** LANGUAGE_KEY is where the chosen language is kept in localStorage. */
export const LANGUAGE_KEY = 'credo.lang';

export function isLanguage(s: string | null | undefined): s is Language {
  return LANGUAGES.some((l) => l.code === s);
}
