import type { ImportSpec } from '../api/adminEndpoints';

/** ImportChoices are the wizard's settings for one upload. */
export interface ImportChoices {
  /** mapping is column header → field ("" skips the column); null lets the server match headers. */
  mapping: Record<string, string> | null;
  sheet: string;
  headerRow: number;
  key: string;
  decide: boolean;
}

/**
 * importSpec is the mapping part of the upload for the wizard's choices, leaving out
 * what the server defaults anyway, so the job shows what the person chose.
 *
 * @example
 * importSpec({ mapping: { Phone: 'mobile_phone', Note: '' }, sheet: '', headerRow: 1, key: '', decide: false })
 * // { columns: { Phone: 'mobile_phone' } }
 */
export function importSpec(c: ImportChoices): ImportSpec {
  const spec: ImportSpec = {};
  if (c.mapping) spec.columns = Object.fromEntries(Object.entries(c.mapping).filter(([, field]) => field !== ''));
  if (c.sheet) spec.sheet = c.sheet;
  if (c.headerRow !== 1) spec.header_row = c.headerRow;
  if (c.key) spec.key = c.key;
  if (c.decide) spec.decide = true;
  return spec;
}
