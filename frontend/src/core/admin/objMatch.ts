import { keyMatch } from './keyMatch';

const FIELD = '/field:';

/**
 * objMatch is the server's object matcher (tenants/casbin.go): casbin's keyMatch, and
 * a field object also covers the columns of its sub-table, so a rule on a table is a
 * rule on each of its columns unless a rule on the column says otherwise. Only a dot
 * right after the table's name starts a column: "form:loan/field:contacts" covers
 * "form:loan/field:contacts.phone", not "form:loan/field:contactsX".
 *
 * @example
 * objMatch('form:loan/field:contacts.phone', 'form:loan/field:contacts') // true
 * objMatch('form:loan/field:contacts', 'form:loan/field:contacts.phone') // false
 */
export function objMatch(object: string, pattern: string): boolean {
  if (keyMatch(object, pattern)) return true;
  if (!pattern.includes(FIELD) || pattern.endsWith('*')) return false;
  return object.startsWith(pattern) && object.charAt(pattern.length) === '.';
}
