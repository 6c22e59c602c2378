import { createContext, useContext } from 'react';
import type { Edit } from '../../core/designer/applyEdit';
import type { Selection } from '../../core/designer/insertEdit';
import type { ProblemMap } from '../../core/designer/locateProblems';
import type { DesignTree } from '../../core/designer/types';

/** Designer is what every part of an open designer shares: the tree, its edits, the selection and the server's problems. */
export interface Designer {
  tree: DesignTree;
  edit(edit: Edit): void;
  selection: Selection;
  select(selection: Selection): void;
  problems: ProblemMap;
}

const DesignerContext = createContext<Designer | null>(null);

/** DesignerProvider hands one open designer to the palette, canvas, panel and preview. */
export const DesignerProvider = DesignerContext.Provider;

/**
 * useDesigner returns the open designer.
 *
 * @example
 * const { tree, edit } = useDesigner();
 * edit({ kind: 'setRequired', field: id, required: true });
 */
export function useDesigner(): Designer {
  const d = useContext(DesignerContext);
  if (!d) throw new Error('useDesigner outside DesignerProvider');
  return d;
}
