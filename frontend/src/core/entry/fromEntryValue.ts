import { cellEditable } from './cellEditable';
import type { EntryField, EntryRow, EntryValue } from './types';
import { valueKind } from './valueKind';

const NUMERIC_WIDGETS = new Set(['money', 'number']);

/**
 * fromEntryValue turns what an input holds into the record's value, or undefined when
 * left empty: numbers for number fields (text that is no number stays text, so the
 * check names the problem), option values for choices, lists from lines, rows of a
 * sub-table with their filled cells and, in rows read from the record, the cells the
 * person may not change as they were read.
 *
 * @example
 * fromEntryValue('24', { name: 'term', widget: 'number', schema: { type: 'integer' }, … }) // 24
 */
export function fromEntryValue(v: EntryValue | undefined, f: EntryField): unknown {
  if (v === undefined) return undefined;
  switch (valueKind(f)) {
    case 'table': {
      if (!Array.isArray(v) || v.length === 0) return undefined;
      return (v as EntryRow[]).map((row) => {
        const out: Record<string, unknown> = {};
        for (const c of f.columns ?? []) {
          // A cell the person may not change goes back exactly as read (a masked value
          // too, which the server takes as unchanged), or not at all in a new row.
          const x = cellEditable(c, row) ? fromEntryValue(row.cells[c.name], c) : row.read?.[c.name];
          if (x !== undefined) out[c.name] = x;
        }
        return out;
      });
    }
    case 'choices': {
      if (!Array.isArray(v) || v.length === 0) return undefined;
      return (v as string[]).map((i) => f.options?.[Number(i)]?.value).filter((x) => x !== undefined);
    }
    case 'lines': {
      const list = typeof v === 'string' ? v.split('\n').map((s) => s.trim()).filter(Boolean) : [];
      return list.length > 0 ? list : undefined;
    }
    case 'flag':
      return v === true;
    case 'other':
      return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (f.options) return f.options[Number(v)]?.value;
  const type = f.schema?.['type'];
  if (type === 'number' || type === 'integer' || NUMERIC_WIDGETS.has(f.widget)) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : v;
  }
  return v;
}
