import { closestCenter, pointerWithin, type ClientRect, type CollisionDetection, type DroppableContainer, type UniqueIdentifier } from '@dnd-kit/core';

const ITEM = /^(field|column|section):/;
const NESTED = /^(field|column):/;

/**
 * designerCollision picks the drop target under the pointer. Items (fields, columns,
 * sections) win over the zones that hold them: a drop on a field goes next to it, a drop
 * on a section's empty space goes to its end; with nothing under the pointer, the
 * nearest target.
 *
 * A field lies inside the zone of its section (a column inside its table), so only the
 * fields of the zone under the pointer are tested, and each target's rectangle is read
 * once: the drag library works out every edge anew from the page's scroll position, and
 * reading the edges of all 200 fields of a large form took most of each pointer move.
 * Items name their zone by their sortable list's id (SortableContext id).
 */
export const designerCollision: CollisionDetection = (args) => {
  const { droppableContainers, droppableRects, pointerCoordinates } = args;
  if (!pointerCoordinates) return closestCenter(args);
  const rects = new Map<UniqueIdentifier, ClientRect>();
  const read = (list: DroppableContainer[]) => {
    for (const c of list) {
      const r = droppableRects.get(c.id);
      if (!r) continue;
      const top = r.top;
      const left = r.left;
      rects.set(c.id, { top, left, width: r.width, height: r.height, bottom: top + r.height, right: left + r.width });
    }
  };

  const outer = droppableContainers.filter((c) => !NESTED.test(String(c.id)));
  read(outer);
  const outerHits = pointerWithin({ ...args, droppableContainers: outer, droppableRects: rects });
  const holders = new Set(outer.map((c) => c.id));
  const hit = new Set(outerHits.map((c) => c.id));
  // An item whose zone takes no drop now is tested all the same.
  const inner = droppableContainers.filter((c) => {
    if (!NESTED.test(String(c.id))) return false;
    const holder = holderOf(c);
    return holder === undefined || hit.has(holder) || !holders.has(holder);
  });
  read(inner);
  const innerHits = pointerWithin({ ...args, droppableContainers: inner, droppableRects: rects });

  const items = new Set([...innerHits, ...outerHits].filter((c) => ITEM.test(String(c.id))).map((c) => c.id));
  if (items.size > 0) {
    return closestCenter({ ...args, droppableContainers: droppableContainers.filter((c) => items.has(c.id)), droppableRects: rects });
  }
  if (outerHits.length > 0) return outerHits;
  return closestCenter(args);
};

function holderOf(c: DroppableContainer): UniqueIdentifier | undefined {
  const data = c.data.current as { sortable?: { containerId?: UniqueIdentifier } } | undefined;
  return data?.sortable?.containerId;
}
