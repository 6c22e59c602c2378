import { asObject } from './asObject';
import type { Json, JsonObject } from './types';

/**
 * setLocaleText returns localized text with one locale's text set (removed when empty),
 * the other locales kept; undefined when no text is left.
 *
 * @example
 * setLocaleText({ 'zh-CN': '笔数' }, 'en', 'Loans') // { "zh-CN": "笔数", en: "Loans" }
 */
export function setLocaleText(value: Json | undefined, locale: string, text: string): JsonObject | undefined {
  const out: JsonObject = { ...asObject(value) };
  if (text === '') delete out[locale];
  else out[locale] = text;
  return Object.keys(out).length > 0 ? out : undefined;
}
