import { fromEntryValue } from './fromEntryValue';
import { isEditable } from './isEditable';
import type { EntryForm, EntryValues } from './types';

/**
 * recordPatch is the data of a PATCH: only the editable fields whose input differs from
 * what was read (a cleared field as null, which removes it). Masked, read-only and
 * computed fields are never sent.
 *
 * @example
 * recordPatch(form, initialValues(form, record.data), values) // { address: "上海市…", email: null }
 */
export function recordPatch(form: EntryForm, base: EntryValues, values: EntryValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    if (!isEditable(f, 'edit')) continue;
    const before = fromEntryValue(base[f.name], f);
    const after = fromEntryValue(values[f.name], f);
    if (JSON.stringify(before) !== JSON.stringify(after)) out[f.name] = after === undefined ? null : after;
  }
  return out;
}
