import type { SensorContext } from '@dnd-kit/core';
import { keyboardCoordinates } from './keyboardCoordinates';

const node = (top: number, left: number) =>
  ({ getBoundingClientRect: () => ({ top, left, width: 100, height: 40, right: left + 100, bottom: top + 40 }) }) as unknown as HTMLElement;

const container = (id: string, el: HTMLElement) => ({ id, key: id, disabled: false, node: { current: el }, rect: { current: null }, data: { current: {} } });

function context(measured: boolean): SensorContext {
  const active = node(100, 0);
  const targets = [container('field:a', node(0, 0)), container('field:b', node(100, 0)), container('field:c', node(200, 0))];
  const rects = new Map(measured ? targets.map((t) => [t.id, t.node.current.getBoundingClientRect()]) : []);
  return {
    active: { id: 'field:b', data: { current: {} }, rect: { current: { initial: null, translated: null } } },
    activeNode: active,
    collisionRect: measured ? active.getBoundingClientRect() : null,
    droppableRects: rects,
    droppableContainers: { getEnabled: () => targets, get: (id: string) => targets.find((t) => t.id === id) },
    over: null,
    scrollableAncestors: [],
  } as unknown as SensorContext;
}

const arrow = (code: string) => ({ code, preventDefault: () => {} }) as unknown as KeyboardEvent;

describe('keyboardCoordinates', () => {
  it.each([true, false])('moves to the next target down whether or not the drag measured them yet (measured: %s)', (measured) => {
    const to = keyboardCoordinates(arrow('ArrowDown'), { active: 'field:b', currentCoordinates: { x: 0, y: 100 }, context: context(measured) });
    expect(to).toEqual({ x: 0, y: 200 });
  });
  it('finds nothing above the first target', () => {
    const ctx = context(false);
    const to = keyboardCoordinates(arrow('ArrowUp'), { active: 'field:a', currentCoordinates: { x: 0, y: 0 }, context: { ...ctx, collisionRect: { top: -50, left: 0, width: 100, height: 40, right: 100, bottom: -10 } } });
    expect(to).toBeUndefined();
  });
});
