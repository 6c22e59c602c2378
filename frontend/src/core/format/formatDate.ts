import { dateTimeFormat } from './intl';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * formatDate writes a calendar date ("2002-10-07") in the reader's locale. A date has no
 * time zone, so it is formatted as UTC midnight and never shifts a day. Anything that is
 * not an ISO date (a masked "1980******") is returned as it is.
 *
 * @example
 * formatDate('2002-10-07', 'zh-CN') // "2002年10月7日"
 */
export function formatDate(value: string, locale: string): string {
  const m = ISO_DATE.exec(value);
  if (!m) return value;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return value;
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}
