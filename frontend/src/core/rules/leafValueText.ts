import type { Json } from '../designer/types';

/**
 * leafValueText writes a comparison's value for its input: a list comma-separated.
 *
 * @example
 * leafValueText(['education', 'medical']) // "education, medical"
 */
export function leafValueText(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => leafValueText(v)).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
