/**
 * uniqueId returns base when it is free, else base_2, base_3… within the format's 63
 * characters.
 *
 * @example
 * uniqueId('widget', ['widget']) // "widget_2"
 */
export function uniqueId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const id = base.slice(0, 63 - suffix.length) + suffix;
    if (!taken.includes(id)) return id;
  }
}
