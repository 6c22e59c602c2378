import { dateTimeFormat } from './intl';

/**
 * formatDateTime writes an instant (an RFC 3339 timestamp) in the reader's locale and
 * time zone (the browser's unless timeZone is given); anything unparsable is returned as it is.
 *
 * @example
 * formatDateTime('2026-11-23T19:19:20Z', 'en', 'UTC') // "Nov 23, 2026, 7:19 PM"
 */
export function formatDateTime(value: string, locale: string, timeZone?: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  if (timeZone) opts.timeZone = timeZone;
  return dateTimeFormat(locale, opts).format(d);
}
