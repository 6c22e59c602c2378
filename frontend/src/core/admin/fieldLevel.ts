import type { Permission } from '../api/adminEndpoints';
import { decide } from './decide';

/**
 * FieldLevel is what a role may do with one field: hidden (absent from every answer),
 * masked, read in full, or edit; the last two kinds only arise from rules written by
 * hand (masked or hidden, yet writable) and are shown so that they are not lost.
 */
export type FieldLevel = 'hidden' | 'masked' | 'read' | 'edit' | 'masked_edit' | 'hidden_edit';

/** CHOSEN_LEVELS are the levels the grid offers for every field. */
export const CHOSEN_LEVELS: readonly FieldLevel[] = ['hidden', 'masked', 'read', 'edit'];

/**
 * LEVEL_DECISIONS is what each level needs the server to answer for the field's read,
 * read_masked and update questions (runtime/form resolves a field's view from read,
 * then read_masked, and its write right from update). An action left out is not
 * looked at for that level.
 */
export const LEVEL_DECISIONS: Record<FieldLevel, Partial<Record<'read' | 'read_masked' | 'update', boolean>>> = {
  hidden: { read: false, read_masked: false, update: false },
  masked: { read: false, read_masked: true, update: false },
  read: { read: true, update: false },
  edit: { read: true, update: true },
  masked_edit: { read: false, read_masked: true, update: true },
  hidden_edit: { read: false, read_masked: false, update: true },
};

/** fieldObject is the policy object of one field of a form, or of a sub-table's column ("contacts.phone"). */
export const fieldObject = (form: string, field: string) => `form:${form}/field:${field}`;

/**
 * fieldLevel is the level a role's rules give a field, wildcards and denies included;
 * a sub-table's column ("contacts.phone") takes its table's rules unless its own say
 * otherwise. A computed field is never written, so only its view counts.
 *
 * @example
 * fieldLevel([{ object: 'form:loan/*', action: 'read_masked' }], 'loan', 'phone', false) // "masked"
 */
export function fieldLevel(perms: readonly Permission[], form: string, field: string, computed: boolean): FieldLevel {
  const obj = fieldObject(form, field);
  const view = decide(perms, obj, 'read') === 'allow' ? 'full' : decide(perms, obj, 'read_masked') === 'allow' ? 'masked' : 'none';
  const write = !computed && decide(perms, obj, 'update') === 'allow';
  if (view === 'full') return write ? 'edit' : 'read';
  if (view === 'masked') return write ? 'masked_edit' : 'masked';
  return write ? 'hidden_edit' : 'hidden';
}
