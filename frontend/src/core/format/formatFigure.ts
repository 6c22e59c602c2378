import { formatMoney } from './formatMoney';
import { formatNumber } from './formatNumber';
import { numberFormat } from './intl';

/**
 * formatFigure writes one figure of a dashboard widget by its series' format: a ratio
 * as a percentage, money in yuan, anything else as a number. A figure the server could
 * not compute (an average of nothing, a ratio over zero) is null and reads as empty.
 *
 * @example
 * formatFigure(0.7333, 'percent', 'en', '—') // "73.3%"
 */
export function formatFigure(value: number | null | undefined, format: string | undefined, locale: string, empty: string): string {
  if (value === null || value === undefined) return empty;
  switch (format) {
    case 'percent':
      return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
    case 'money':
      return formatMoney(value, locale);
    default:
      return formatNumber(value, locale);
  }
}
