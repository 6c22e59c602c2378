import { createContext, useContext } from 'react';

// Changes only when a drag starts or ends; the drag library's own context changes on
// every pointer move, and every drop target reading it would render again each time.
const ActiveDragContext = createContext<string | null>(null);

/** ActiveDragProvider hands the id of what is being dragged on the designer (or null) to its drop targets. */
export const ActiveDragProvider = ActiveDragContext.Provider;

/** useActiveDrag returns the id of what is being dragged on the designer, or null. */
export function useActiveDrag(): string | null {
  return useContext(ActiveDragContext);
}
