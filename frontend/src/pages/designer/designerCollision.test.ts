import { closestCenter, pointerWithin, type ClientRect, type CollisionDetection, type DroppableContainer, type UniqueIdentifier } from '@dnd-kit/core';
import { designerCollision } from './designerCollision';

const rect = (left: number, top: number, width: number, height: number): ClientRect => ({ left, top, width, height, right: left + width, bottom: top + height });

/**
 * A canvas in the page's coordinates: two sections of two columns (the second one's zone
 * empty but for a sub-table), the fields without a section, and the place after the last
 * section; the section handles are sortable among themselves.
 */
function canvas() {
  const targets: Array<[UniqueIdentifier, ClientRect, UniqueIdentifier | undefined]> = [
    ['section:s1', rect(0, 0, 400, 200), 'sections'],
    ['zone:s1', rect(5, 30, 390, 165), undefined],
    ['field:a', rect(10, 35, 185, 60), 'zone:s1'],
    ['field:b', rect(205, 35, 185, 60), 'zone:s1'],
    ['field:c', rect(10, 105, 185, 60), 'zone:s1'],
    ['section:s2', rect(0, 210, 400, 200), 'sections'],
    ['zone:s2', rect(5, 240, 390, 165), undefined],
    ['field:t', rect(10, 245, 380, 150), 'zone:s2'],
    ['table:t', rect(40, 290, 340, 100), undefined],
    ['column:x', rect(45, 295, 330, 40), 'table:t'],
    ['column:y', rect(45, 340, 330, 40), 'table:t'],
    ['end', rect(0, 420, 400, 40), undefined],
    ['loose', rect(0, 470, 400, 120), undefined],
    ['field:l', rect(10, 500, 380, 50), 'loose'],
  ];
  const containers = targets.map(([id, , holder]) => ({
    id,
    key: String(id),
    disabled: false,
    node: { current: null },
    rect: { current: null },
    data: { current: holder === undefined ? {} : { sortable: { containerId: holder, index: 0, items: [] } } },
  })) as unknown as DroppableContainer[];
  return { containers, rects: new Map(targets.map(([id, r]) => [id, r])) };
}

// What the designer did before it knew the zones: every target tested under the pointer.
const everyTarget: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  if (within.length > 0) {
    const items = within.filter((c) => /^(field|column|section):/.test(String(c.id)));
    if (items.length === 0) return within;
    const ids = new Set(items.map((c) => c.id));
    return closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => ids.has(c.id)) });
  }
  return closestCenter(args);
};

function args(containers: DroppableContainer[], rects: Map<UniqueIdentifier, ClientRect>, x: number, y: number | null) {
  return {
    active: { id: 'palette:text', data: { current: {} }, rect: { current: { initial: null, translated: null } } },
    collisionRect: rect(x - 40, (y ?? 0) - 10, 80, 20),
    droppableRects: rects,
    droppableContainers: containers,
    pointerCoordinates: y === null ? null : { x, y },
  } as Parameters<CollisionDetection>[0];
}

const ids = (list: ReturnType<CollisionDetection>) => list.map((c) => c.id);

describe('designerCollision', () => {
  it('finds what testing every target finds, wherever the pointer is', () => {
    const { containers, rects } = canvas();
    for (let y = -20; y <= 610; y += 5) {
      for (let x = -20; x <= 420; x += 15) {
        expect(ids(designerCollision(args(containers, rects, x, y))), `at ${x},${y}`).toEqual(ids(everyTarget(args(containers, rects, x, y))));
      }
    }
  });

  it('puts a field before the zone that holds it, and a column before its table', () => {
    const { containers, rects } = canvas();
    expect(ids(designerCollision(args(containers, rects, 100, 60)))[0]).toBe('field:a');
    expect(ids(designerCollision(args(containers, rects, 200, 100)))[0]).toBe('section:s1');
    expect(ids(designerCollision(args(containers, rects, 210, 350)))[0]).toBe('column:y');
    expect(ids(designerCollision(args(containers, rects, 100, 570)))[0]).toBe('loose');
  });

  it('tests the items of a zone that takes no drop now', () => {
    const { containers, rects } = canvas();
    const withoutZone = containers.filter((c) => c.id !== 'zone:s1' && c.id !== 'section:s1');
    expect(ids(designerCollision(args(withoutZone, rects, 300, 60)))).toEqual(['field:b']);
    for (let y = 0; y <= 200; y += 5) {
      for (let x = 0; x <= 400; x += 15) {
        expect(ids(designerCollision(args(withoutZone, rects, x, y))), `at ${x},${y}`).toEqual(ids(everyTarget(args(withoutZone, rects, x, y))));
      }
    }
  });

  it('takes the nearest target without a pointer (the keyboard) or with nothing under it', () => {
    const { containers, rects } = canvas();
    expect(ids(designerCollision(args(containers, rects, 300, null)))).toEqual(ids(everyTarget(args(containers, rects, 300, null))));
    expect(ids(designerCollision(args(containers, rects, 600, 50)))).toEqual(ids(everyTarget(args(containers, rects, 600, 50))));
  });
});
