import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import type { Language } from './languages';
import { zhCN } from './zh-CN';

/**
 * createI18n builds one i18next instance with both catalogues loaded, so switching
 * language needs no request. Each app (and each test) gets its own instance.
 *
 * @example
 * const i18n = createI18n('zh-CN');
 */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['zh-CN', 'en'],
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  return instance;
}
