import type { SensorProps, UniqueIdentifier } from '@dnd-kit/core';
import { FramePointerSensor, type FramePointerSensorOptions } from './FramePointerSensor';

const chips = () => Array.from(document.querySelectorAll('.drag-chip')).map((c) => c.textContent);
const chipBox = () => document.querySelector<HTMLElement>('.drag-chip')?.parentElement;

function pointer(type: string, x: number, y: number, target: EventTarget = document) {
  target.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, isPrimary: true, button: 0, bubbles: true, cancelable: true }));
}

/** pickUp presses the pointer on a palette item at (100, 50) and hands the press to a new sensor. */
function pickUp(chip: (id: UniqueIdentifier) => string | null) {
  const item = document.createElement('li');
  document.body.append(item);
  const press = new PointerEvent('pointerdown', { clientX: 100, clientY: 50, isPrimary: true, button: 0, bubbles: true });
  item.dispatchEvent(press);
  const seenAtStart: Array<Array<string | null>> = [];
  const calls = {
    onStart: vi.fn(() => seenAtStart.push(chips())),
    onMove: vi.fn(),
    onEnd: vi.fn(),
    onCancel: vi.fn(),
  };
  const props = {
    active: 'palette:text',
    activeNode: { id: 'palette:text', key: 'palette:text', node: { current: item }, activatorNode: { current: null }, data: { current: {} } },
    event: press,
    context: { current: {} },
    options: { activationConstraint: { distance: 5 }, chip } satisfies FramePointerSensorOptions,
    onAbort: vi.fn(),
    onPending: vi.fn(),
    ...calls,
  } as unknown as SensorProps<FramePointerSensorOptions>;
  new FramePointerSensor(props);
  return { ...calls, seenAtStart };
}

describe('FramePointerSensor', () => {
  afterEach(() => document.body.replaceChildren());

  it('draws the chip in the move that picks an item up, before the drag library starts, and moves it with the pointer', () => {
    const s = pickUp(() => 'Text');
    pointer('pointermove', 103, 51);
    expect(s.onStart).not.toHaveBeenCalled();
    expect(chips()).toEqual([]);
    pointer('pointermove', 106, 52);
    expect(s.seenAtStart).toEqual([['Text']]);
    pointer('pointermove', 120, 60);
    expect(chipBox()?.style.transform).toBe('translate3d(20px, 10px, 0)');
    expect(s.onMove).toHaveBeenCalledWith({ x: 120, y: 60 });
    pointer('pointerup', 120, 60);
    expect(s.onEnd).toHaveBeenCalledTimes(1);
    expect(chips()).toEqual([]);
  });

  it('draws none for what moves in place', () => {
    const s = pickUp(() => null);
    pointer('pointermove', 110, 50);
    expect(s.onStart).toHaveBeenCalledTimes(1);
    expect(chips()).toEqual([]);
    pointer('pointerup', 110, 50);
  });

  it('leaves no chip behind when Escape cancels the drag', () => {
    const s = pickUp(() => 'Text');
    pointer('pointermove', 110, 50);
    expect(chips()).toEqual(['Text']);
    document.dispatchEvent(new KeyboardEvent('keydown', { code: 'Escape', bubbles: true }));
    expect(s.onCancel).toHaveBeenCalledTimes(1);
    expect(chips()).toEqual([]);
  });
});
