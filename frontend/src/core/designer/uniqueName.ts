/**
 * uniqueName returns base when it is free, else base_2, base_3… (never longer than a
 * field name may be).
 *
 * @example
 * uniqueName('phone', ['phone', 'phone_2']) // "phone_3"
 */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const name = base.slice(0, 64 - suffix.length) + suffix;
    if (!taken.includes(name)) return name;
  }
}
