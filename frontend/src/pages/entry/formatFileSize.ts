import { formatNumber } from '../../core/format/formatNumber';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/**
 * formatFileSize writes a byte count the way file pickers do, in the reader's locale:
 * bytes below 1 KB, then KB, MB or GB (of 1,024) with at most one decimal.
 *
 * @example
 * formatFileSize(1536, 'en') // "1.5 KB"
 */
export function formatFileSize(bytes: number, locale: string): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  const rounded = unit === 0 ? n : Math.round(n * 10) / 10;
  return `${formatNumber(rounded, locale)} ${UNITS[unit]}`;
}
