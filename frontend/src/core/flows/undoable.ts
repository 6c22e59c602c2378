/** Undoable is a value being edited with what undo and redo go back and forth to. */
export interface Undoable<T> {
  past: T[];
  present: T;
  future: T[];
}

/** UndoAction is a new value (an edit), undo, redo, or a value loaded that starts afresh. */
export type UndoAction<T> = { type: 'set'; value: T } | { type: 'undo' } | { type: 'redo' } | { type: 'load'; value: T };

/** LIMIT bounds how many steps undo remembers. */
const LIMIT = 100;

/**
 * undoable is a reducer keeping an edit history: a value set that is the same object
 * as the present one is not a step.
 *
 * @example
 * const [h, dispatch] = useReducer(undoable<FlowDesign>, { past: [], present: design, future: [] });
 * dispatch({ type: 'set', value: applyFlowEdit(h.present, edit) });
 */
export function undoable<T>(h: Undoable<T>, action: UndoAction<T>): Undoable<T> {
  switch (action.type) {
    case 'load':
      return { past: [], present: action.value, future: [] };
    case 'set':
      if (action.value === h.present) return h;
      return { past: [...h.past, h.present].slice(-LIMIT), present: action.value, future: [] };
    case 'undo': {
      const prev = h.past.at(-1);
      return prev === undefined ? h : { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
    }
    case 'redo': {
      const [next, ...future] = h.future;
      return next === undefined ? h : { past: [...h.past, h.present], present: next, future };
    }
  }
}
