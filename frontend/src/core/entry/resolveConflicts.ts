import { defaultChoice, type Choice } from './defaultChoice';
import type { Conflict } from './findConflicts';
import { fromEntryValue } from './fromEntryValue';
import { initialValues } from './initialValues';
import type { EntryForm, EntryValues } from './types';

/**
 * resolveConflicts rebuilds the inputs on the stored record (theirs) as the new base:
 * each conflict as the person chose, each other field they had changed as they had it,
 * the rest as now stored. Saving then sends only what differs from the stored record,
 * with its version.
 *
 * @example
 * const { base, values } = resolveConflicts(form, conflicts, { address: 'mine' }, oldBase, myValues, latest.data);
 */
export function resolveConflicts(
  form: EntryForm,
  conflicts: readonly Conflict[],
  choices: Readonly<Record<string, Choice>>,
  oldBase: EntryValues,
  values: EntryValues,
  theirs: Record<string, unknown>,
): { base: EntryValues; values: EntryValues } {
  const base = initialValues(form, theirs);
  const next: EntryValues = { ...base };
  const byName = new Map(conflicts.map((c) => [c.name, c]));
  for (const f of form.fields) {
    const mine = values[f.name];
    if (mine === undefined) continue;
    const conflict = byName.get(f.name);
    if (conflict) {
      if ((choices[f.name] ?? defaultChoice(conflict)) === 'mine') next[f.name] = mine;
      continue;
    }
    const changed = JSON.stringify(fromEntryValue(oldBase[f.name], f)) !== JSON.stringify(fromEntryValue(mine, f));
    if (changed) next[f.name] = mine;
  }
  return { base, values: next };
}

