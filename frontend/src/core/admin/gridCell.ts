import type { FieldLevel } from './fieldLevel';

/** FORM_ACTIONS are the record-level rights on a form the grid offers. */
export const FORM_ACTIONS = ['create', 'read', 'update', 'delete', 'export'] as const;
export type FormAction = (typeof FORM_ACTIONS)[number];

/** GridCell is one choice of the permission grid for one role. */
export type GridCell =
  | { kind: 'field'; field: string; level: FieldLevel; computed: boolean }
  | { kind: 'action'; action: FormAction; allowed: boolean };

/** cellKey names a cell of one role's column: "field:<name>" or "action:<action>". */
export const cellKey = (c: GridCell) => (c.kind === 'field' ? `field:${c.field}` : `action:${c.action}`);
