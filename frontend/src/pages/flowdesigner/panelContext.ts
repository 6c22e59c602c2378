import { createContext, useContext } from 'react';
import type { FlowEdit } from '../../core/flows/applyFlowEdit';
import type { FlowProblems } from '../../core/flows/locateFlowProblems';
import type { FlowDesign } from '../../core/flows/types';
import type { Choice } from './Inputs';
import type { Selection } from './selection';

/** PanelState is what the property panel works with: the flow, its problems, what to choose from. */
export interface PanelState {
  design: FlowDesign;
  problems: FlowProblems;
  edit: (e: FlowEdit) => void;
  select: (s: Selection) => void;
  /** fields are the form's fields (name and label), for the members that name one. */
  fields: Choice[];
  /** flows are the tenant's flows, for start_flow. */
  flows: Choice[];
  /** roles are the tenant's roles, offered while typing a role. */
  roles: string[];
}

const PanelContext = createContext<PanelState | null>(null);

export const PanelProvider = PanelContext.Provider;

/** usePanel is the property panel's state; only inside PanelProvider. */
export function usePanel(): PanelState {
  const p = useContext(PanelContext);
  if (!p) throw new Error('usePanel outside PanelProvider');
  return p;
}
