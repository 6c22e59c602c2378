import type { Permission } from '../api/adminEndpoints';
import { fieldObject, LEVEL_DECISIONS } from './fieldLevel';
import { cellKey, type GridCell } from './gridCell';
import { withDecisions, type Wants } from './withDecisions';

/** GridChange is a role's rules after the grid's edits, ready for PUT …/permissions. */
export interface GridChange {
  permissions: Permission[];
  /** origins names, per rule, the cell that wrote it; null for rules kept as they were. */
  origins: Array<string | null>;
  /** impossible lists the cells a wildcard deny of the role keeps from being set. */
  impossible: string[];
}

/** wantsOf is what a cell needs the server to decide on its object. */
function wantsOf(cell: GridCell): Wants {
  if (cell.kind === 'action') return { [cell.action]: cell.allowed };
  const wants = { ...LEVEL_DECISIONS[cell.level] };
  if (cell.computed) delete wants.update; // computed fields are never written
  return wants;
}

/** objectOf is the policy object a cell decides. */
const objectOf = (form: string, cell: GridCell) => (cell.kind === 'action' ? `form:${form}` : fieldObject(form, cell.field));

/** isColumn tells a sub-table column's cell ("contacts.phone") from a field's or an action's. */
const isColumn = (cell: GridCell) => cell.kind === 'field' && cell.field.includes('.');

/**
 * applyGridEdits applies the changed cells of one role's column to its rules on form.
 * Only the rules of changed cells change; every other rule (other forms, flows,
 * dashboards, administration) is sent back as it was read, in its order.
 *
 * A sub-table's rule covers its columns, so columns come after every table whatever
 * the order they were chosen in: a column set apart from its table ("edit" table,
 * "hidden" phone) then gets the denies it needs over the table's new allows, and
 * keeps its level if the table changes later.
 *
 * @example
 * applyGridEdits(perms, 'loan_application', [{ kind: 'field', field: 'phone', level: 'hidden', computed: false }])
 */
export function applyGridEdits(perms: readonly Permission[], form: string, cells: readonly GridCell[]): GridChange {
  let current = [...perms];
  const origin = new Map<Permission, string>();
  const impossible: string[] = [];
  const ordered = [...cells.filter((c) => !isColumn(c)), ...cells.filter(isColumn)];
  for (const cell of ordered) {
    const next = withDecisions(current, objectOf(form, cell), wantsOf(cell));
    if (!next) {
      impossible.push(cellKey(cell));
      continue;
    }
    current = next.permissions;
    for (const p of next.added) origin.set(p, cellKey(cell));
  }
  return { permissions: current, origins: current.map((p) => origin.get(p) ?? null), impossible };
}
