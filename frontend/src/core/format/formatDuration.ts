import { listFormat, numberFormat } from './intl';

const UNITS = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1000 },
] as const;

/**
 * formatDuration writes a span of time (in milliseconds) in its two largest units, the
 * words and their joining from Intl ("2 days, 3 hr" / "2天3小时"); under a second reads
 * as "0 sec".
 *
 * @example
 * formatDuration(14_316, 'en') // "14 sec"
 */
export function formatDuration(ms: number, locale: string): string {
  const unitText = (n: number, unit: (typeof UNITS)[number]['unit']) =>
    numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
  let rest = Math.max(0, Math.round(ms));
  const parts: string[] = [];
  for (const { unit, ms: size } of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(unitText(n, unit));
      rest -= n * size;
    } else if (parts.length > 0) {
      break; // adjacent units only: "2 days", not "2 days, 5 sec"
    }
    if (parts.length === 2) break;
  }
  if (parts.length === 0) parts.push(unitText(0, 'second'));
  return listFormat(locale, { type: 'unit', style: 'narrow' }).format(parts);
}
