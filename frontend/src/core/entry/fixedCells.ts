import { cellEditable } from './cellEditable';
import type { EntryForm, EntryRow, EntryValues } from './types';
import { valueKind } from './valueKind';

/**
 * fixedCells lists, as JSON pointers, the sub-table cells the person cannot change
 * here: read-only, masked or write-only columns of rows read from the record, and the
 * columns a new row leaves out. What the check finds there (a mask is no valid phone
 * number, a column they may not read is missing) is not theirs to fix.
 *
 * @example
 * fixedCells(form, values) // Set { "/emergency_contacts/0/relation", … }
 */
export function fixedCells(form: EntryForm, values: EntryValues): Set<string> {
  const out = new Set<string>();
  for (const f of form.fields) {
    const rows = values[f.name];
    if (valueKind(f) !== 'table' || !Array.isArray(rows)) continue;
    (rows as EntryRow[]).forEach((row, i) => {
      for (const c of f.columns ?? []) {
        if (!cellEditable(c, row)) out.add(`/${pointerToken(f.name)}/${i}/${pointerToken(c.name)}`);
      }
    });
  }
  return out;
}

function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
