import { dragId, type DragTarget } from '../../core/designer/dragId';
import { dropAllowed } from '../../core/designer/dropAllowed';
import { useActiveDrag } from './ActiveDragContext';
import { useDesigner } from './DesignerContext';

/**
 * useDropEnabled tells a drop target whether what is being dragged may land on it (true
 * while nothing is dragged, and for the dragged item itself). Targets that may not are
 * disabled, so they neither light up nor catch the keyboard's moves.
 *
 * @example
 * const enabled = useDropEnabled({ type: 'zone', section: s.id }, dragId.zone(s.id));
 */
export function useDropEnabled(target: DragTarget, id: string): boolean {
  const active = useActiveDrag();
  const { tree } = useDesigner();
  if (active === null || active === id) return true;
  const dragged = dragId.parse(active);
  return dragged !== null && dropAllowed(dragged, target, tree);
}
