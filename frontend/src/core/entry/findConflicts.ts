import { fromEntryValue } from './fromEntryValue';
import { isEditable } from './isEditable';
import type { EntryForm, EntryValues } from './types';

/** Conflict is one field someone else changed while the person was editing. */
export interface Conflict {
  name: string;
  /** theirs is the value now stored; mine the value the person's input holds. */
  theirs: unknown;
  mine: unknown;
  /** changedByMe: the person changed this field too (else they keep the stored value). */
  changedByMe: boolean;
}

/**
 * findConflicts compares the record as the person read it (base), what their inputs
 * hold, and the record as now stored (theirs): every field they may edit that someone
 * else changed and whose stored value differs from the person's is a conflict to
 * decide. Fields only they changed, or only the other person, need no decision.
 *
 * @example
 * findConflicts(form, base, values, latest.data) // [{ name: "address", theirs: "…", mine: "…", changedByMe: true }]
 */
export function findConflicts(form: EntryForm, base: EntryValues, values: EntryValues, theirs: Record<string, unknown>): Conflict[] {
  const out: Conflict[] = [];
  for (const f of form.fields) {
    if (!isEditable(f, 'edit')) continue;
    const was = fromEntryValue(base[f.name], f);
    const mine = fromEntryValue(values[f.name], f);
    const now = theirs[f.name];
    const key = (v: unknown) => JSON.stringify(v ?? null);
    if (key(was) === key(now) || key(mine) === key(now)) continue;
    out.push({ name: f.name, theirs: now, mine, changedByMe: key(was) !== key(mine) });
  }
  return out;
}
