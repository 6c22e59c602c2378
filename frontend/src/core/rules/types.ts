// The rule editor's model of a form's rule set (schemas/rule.schema.json): the rules taken
// out of the definition, each kept whole as stored, the rest kept as it came; and the
// visual condition tree the builder edits.

import type { Json, JsonObject, Localized } from '../designer/types';
import type { Item } from '../flows/types';

/** RuleSetDesign is a rule set as the editor edits it. */
export interface RuleSetDesign {
  /** rest is the definition as read; its rules member is replaced on the way out. */
  rest: JsonObject;
  rules: Item[];
  /** owns: the rules were a list of objects and were taken out. */
  owns: boolean;
}

/** Operator is a comparison of the visual condition builder. */
export type Operator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'is_set' | 'not_set';

/** Leaf is one comparison of a field with a value. */
export interface Leaf {
  field: string;
  op: Operator;
  value?: Json;
}

/** Group is a visual condition: every item holds (all), or at least one does (any). */
export type Group = { all: ConditionItem[] } | { any: ConditionItem[] };

export type ConditionItem = Leaf | Group;

/** Kind is the JSON type of a field's values, as the server types it ("any": no single type). */
export type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any';

/** FieldInfo is a field a condition can compare: top-level, or a property inside an object field. */
export interface FieldInfo {
  /** path is the field's name, dotted inside an object (credit_score.score). */
  path: string;
  kind: Kind;
  /** items is the kind of a list's entries. */
  items?: Kind;
  /** options are the values the field allows, labelled when the form labels them. */
  options?: Array<{ value: string | number | boolean; label?: Localized }>;
  label?: Localized;
  /** parent is the label of the object field a property belongs to. */
  parent?: Localized;
}
