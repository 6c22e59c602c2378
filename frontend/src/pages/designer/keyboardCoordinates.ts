import { getClientRect, type KeyboardCoordinateGetter } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';

/**
 * keyboardCoordinates moves a picked-up item to the nearest target in the arrow's
 * direction (dnd-kit's sortable getter). The drag library measures the item and the
 * targets a moment after the pick-up; an arrow pressed before that would find nothing
 * and be lost, so whatever is not measured yet is read from the page.
 */
export const keyboardCoordinates: KeyboardCoordinateGetter = (event, args) => {
  const { context } = args;
  let { collisionRect, droppableRects } = context;
  if (!collisionRect && context.activeNode) collisionRect = getClientRect(context.activeNode);
  if (droppableRects.size === 0) {
    droppableRects = new Map();
    for (const c of context.droppableContainers.getEnabled()) {
      if (c.node.current) droppableRects.set(c.id, getClientRect(c.node.current));
    }
  }
  if (collisionRect === context.collisionRect && droppableRects === context.droppableRects) {
    return sortableKeyboardCoordinates(event, args);
  }
  return sortableKeyboardCoordinates(event, { ...args, context: { ...context, collisionRect, droppableRects } });
};
