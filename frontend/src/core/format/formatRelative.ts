import { relativeTimeFormat } from './intl';

const STEPS = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
] as const;

/**
 * formatRelative writes an instant relative to now in the reader's language ("in 2
 * days", "5 hours ago", "后天"), in the largest whole unit; within a minute it is "now".
 * Anything unparsable is returned as it is.
 *
 * @example
 * formatRelative('2026-11-25T12:00:00Z', new Date('2026-11-23T12:00:00Z'), 'en') // "in 2 days"
 */
export function formatRelative(iso: string, now: Date, locale: string): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const diff = at - now.getTime();
  const rtf = relativeTimeFormat(locale, { numeric: 'auto' });
  for (const { unit, ms } of STEPS) {
    const n = Math.trunc(diff / ms);
    if (n !== 0) return rtf.format(n, unit);
  }
  return rtf.format(0, 'second');
}
