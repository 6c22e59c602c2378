import { fromEntryValue } from './fromEntryValue';
import { isEditable } from './isEditable';
import type { EntryForm, EntryValues } from './types';

/**
 * recordData is the body of a new record: every field the person may give that they
 * filled in, and nothing else.
 *
 * @example
 * recordData(form, values) // { name: "王芳", customer_type: "individual" }
 */
export function recordData(form: EntryForm, values: EntryValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    if (!isEditable(f, 'create')) continue;
    const v = fromEntryValue(values[f.name], f);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}
