import type { EntryField, EntryMode } from './types';
import { valueKind } from './valueKind';

/**
 * isEditable tells whether the person may change a field here: they may write it, the
 * server does not compute it, it is something a person enters, and they read it in
 * full (a masked value cannot be edited; a field they may write but not read can only
 * be given when the record is created).
 *
 * @example
 * isEditable({ name: 'mobile_phone', view: 'masked', write: true, … }, 'edit') // false
 */
export function isEditable(f: EntryField, mode: EntryMode): boolean {
  if (!f.write || f.computed || valueKind(f) === 'other') return false;
  return f.view === 'full' || (mode === 'create' && f.view === 'none');
}
