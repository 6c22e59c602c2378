import { newRow } from './newRow';
import { toEntryValue } from './toEntryValue';
import type { EntryForm, EntryValues } from './types';
import { valueKind } from './valueKind';

/**
 * initialValues fills every input of the form from a record's data; a new record (no
 * data) starts with empty inputs, and a sub-table with the rows its schema asks for at
 * least.
 *
 * @example
 * initialValues(form, record.data)['name'] // "王芳"
 */
export function initialValues(form: EntryForm, data?: Record<string, unknown>): EntryValues {
  const out: EntryValues = {};
  for (const f of form.fields) {
    const least = f.schema?.['minItems'];
    if (!data && valueKind(f) === 'table') {
      out[f.name] = Array.from({ length: typeof least === 'number' ? Math.min(least, 20) : 0 }, () => newRow(f));
      continue;
    }
    out[f.name] = toEntryValue(data?.[f.name], f);
  }
  return out;
}
