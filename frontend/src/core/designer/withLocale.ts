import { isObject } from './isObject';
import { setKey } from './setKey';
import type { Json, JsonObject } from './types';

/**
 * withLocale sets the text of one locale in a localized text, keeping the other
 * locales; an empty text removes the locale, and a text left with no locale at all is
 * undefined (the definition format wants at least one, and never an empty string).
 *
 * @example
 * withLocale({ 'zh-CN': '手机号码' }, 'en', 'Mobile phone') // { 'zh-CN': '手机号码', en: 'Mobile phone' }
 * withLocale({ en: 'Phone' }, 'en', '') // undefined
 */
export function withLocale(text: Json | undefined, locale: string, value: string): JsonObject | undefined {
  const base = isObject(text) ? text : {};
  const next = setKey(base, locale, value === '' ? undefined : value);
  return Object.keys(next).length > 0 ? next : undefined;
}
