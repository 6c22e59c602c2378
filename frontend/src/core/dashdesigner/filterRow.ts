import type { LeafOp } from './types';

/** FilterRow is one condition of a simple filter as the designer edits it: the value as text. */
export interface FilterRow {
  field: string;
  op: LeafOp;
  /** value is a number, true / false or text; a list for in / not in, comma-separated. */
  value: string;
}
