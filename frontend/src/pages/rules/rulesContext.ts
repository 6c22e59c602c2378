import { createContext, useContext } from 'react';
import type { Json } from '../../core/designer/types';
import type { ByMember } from '../../core/flows/locateFlowProblems';
import type { FieldInfo } from '../../core/rules/types';
import type { Choice } from '../flowdesigner/Inputs';

/** RuleState is what the editor of one rule works with. */
export interface RuleState {
  handle: string;
  /** set changes a member of the rule (path inside the rule). */
  set: (path: ReadonlyArray<string | number>, value: Json | undefined) => void;
  /** problems are the rule's own, by member path ("condition/all/0/value"). */
  problems: ByMember | undefined;
  /** fields are what conditions compare (dotted paths into objects too). */
  fields: FieldInfo[];
  /** fieldChoices are the form's fields as choices, labelled in the person's language. */
  fieldChoices: Choice[];
  flows: Choice[];
}

const RuleContext = createContext<RuleState | null>(null);

export const RuleProvider = RuleContext.Provider;

/** useRule is the state of the rule being edited; only inside RuleProvider. */
export function useRule(): RuleState {
  const r = useContext(RuleContext);
  if (!r) throw new Error('useRule outside RuleProvider');
  return r;
}
