import { createContext, useContext } from 'react';
import type { FieldProblem } from '../../core/api/apiError';
import type { FormAccess } from '../../core/api/types';
import type { JsonObject } from '../../core/dashdesigner/types';

/** DashEditor is what every part of the dashboard designer reads and changes. */
export interface DashEditor {
  body: JsonObject;
  /** edit applies a pure edit to the body; pointer names the input edited, whose problems it clears. */
  edit: (fn: (body: JsonObject) => JsonObject, pointer?: string) => void;
  /** problemsAt lists the problems placed on the input at pointer (see problemKey). */
  problemsAt: (pointer: string) => FieldProblem[];
  /** problemsUnder counts the problems anywhere under pointer (a widget's, for its card). */
  problemsUnder: (pointer: string) => number;
  /** forms are the published forms with their fields, for the form and field choices. */
  forms: FormAccess[];
}

const Ctx = createContext<DashEditor | null>(null);

export const DashEditorProvider = Ctx.Provider;

/**
 * useDashEditor returns the dashboard designer's state and edit function.
 *
 * @example
 * const { body, edit } = useDashEditor();
 */
export function useDashEditor(): DashEditor {
  const c = useContext(Ctx);
  if (!c) throw new Error('useDashEditor outside the dashboard designer');
  return c;
}
