import { toInputValue } from '../forms/inputValue';
import { newRowId } from './newRowId';
import type { EntryField, EntryRow, EntryValue } from './types';
import { valueKind } from './valueKind';

/**
 * toEntryValue is a record value as the field's input holds it: a choice as its
 * option's index, several choices as indexes, a list one entry per line, a sub-table as
 * rows of inputs, each keeping the row as read.
 *
 * @example
 * toEntryValue(['vip', 'watch'], { name: 'flags', widget: 'tags', … }) // "vip\nwatch"
 */
export function toEntryValue(value: unknown, f: EntryField): EntryValue {
  switch (valueKind(f)) {
    case 'table': {
      const rows = Array.isArray(value) ? value : [];
      return rows.map((r): EntryRow => {
        const data = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
        const cells: EntryRow['cells'] = {};
        for (const c of f.columns ?? []) cells[c.name] = toEntryValue(data[c.name], c);
        return { id: newRowId(), cells, read: data };
      });
    }
    case 'choices': {
      const list = Array.isArray(value) ? value : [];
      return (f.options ?? []).flatMap((o, i) => (list.includes(o.value) ? [String(i)] : []));
    }
    case 'lines':
      return Array.isArray(value) ? value.map(String).join('\n') : typeof value === 'string' ? value : '';
    case 'flag':
      return value === true;
    default:
      return toInputValue(value, f);
  }
}
