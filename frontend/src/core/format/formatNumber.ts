import { numberFormat } from './intl';

/**
 * formatNumber writes a number the way readers of locale expect (grouping, decimal mark).
 *
 * @example
 * formatNumber(1234567.5, 'en') // "1,234,567.5"
 */
export function formatNumber(value: number, locale: string, maxFractionDigits = 2): string {
  return numberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}
