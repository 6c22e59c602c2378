import { numberFormat } from './intl';

/** DEFAULT_CURRENCY is the currency of money fields, which do not name their own yet. */
export const DEFAULT_CURRENCY = 'CNY';

/**
 * formatMoney writes an amount with its currency in the reader's locale: the symbol,
 * its place and the two decimals come from Intl, not from the app.
 *
 * @example
 * formatMoney(165000, 'zh-CN') // "¥165,000.00"
 * formatMoney(165000, 'en')    // "CN¥165,000.00"
 */
export function formatMoney(amount: number, locale: string, currency: string = DEFAULT_CURRENCY): string {
  return numberFormat(locale, { style: 'currency', currency }).format(amount);
}
