import { applyEdit, type Edit } from './applyEdit';
import type { DesignTree } from './types';

/** History is the tree being edited with what undo and redo go back and forth to. */
export interface History {
  past: DesignTree[];
  present: DesignTree;
  future: DesignTree[];
}

/** HistoryAction is an edit, undo, redo, or a new tree (loaded) that starts a fresh history. */
export type HistoryAction = { type: 'edit'; edit: Edit } | { type: 'undo' } | { type: 'redo' } | { type: 'load'; tree: DesignTree };

/** LIMIT bounds how many steps undo remembers. */
const LIMIT = 100;

/**
 * history is the designer's reducer: every edit goes through applyEdit and can be undone
 * and redone; an edit that changes nothing is not a step.
 *
 * @example
 * const [h, dispatch] = useReducer(history, { past: [], present: tree, future: [] });
 * dispatch({ type: 'edit', edit: { kind: 'removeField', field: id } });
 * dispatch({ type: 'undo' });
 */
export function history(h: History, action: HistoryAction): History {
  switch (action.type) {
    case 'load':
      return { past: [], present: action.tree, future: [] };
    case 'edit': {
      const next = applyEdit(h.present, action.edit);
      if (next === h.present) return h;
      return { past: [...h.past, h.present].slice(-LIMIT), present: next, future: [] };
    }
    case 'undo': {
      const prev = h.past.at(-1);
      return prev ? { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] } : h;
    }
    case 'redo': {
      const [next, ...future] = h.future;
      return next ? { past: [...h.past, h.present], present: next, future } : h;
    }
  }
}
