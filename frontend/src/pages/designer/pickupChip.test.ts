import { pickupChip } from './pickupChip';

function item(): HTMLElement {
  const el = document.createElement('li');
  el.getBoundingClientRect = () => ({ x: 30, y: 200, top: 200, left: 30, width: 180, height: 34, right: 210, bottom: 234, toJSON: () => ({}) });
  document.body.append(el);
  return el;
}

const chips = () => Array.from(document.querySelectorAll<HTMLElement>('.drag-chip'));

describe('pickupChip', () => {
  afterEach(() => {
    pickupChip.remove();
    document.body.replaceChildren();
  });

  it('draws a chip over the item, as the drag library places its overlay, and moves it by the pointer', () => {
    pickupChip.show(item(), 'Text');
    const [chip] = chips();
    expect(chip).toHaveTextContent('Text');
    const box = chip!.parentElement!;
    expect(box.style).toMatchObject({ position: 'fixed', top: '200px', left: '30px', width: '180px', height: '34px', zIndex: '999' });
    pickupChip.move(12, -4);
    expect(box.style.transform).toBe('translate3d(12px, -4px, 0)');
  });

  it('keeps one chip at most, and leaves none once removed', () => {
    const from = item();
    pickupChip.show(from, 'Text');
    pickupChip.show(from, 'Number');
    expect(chips().map((c) => c.textContent)).toEqual(['Number']);
    pickupChip.remove();
    expect(chips()).toEqual([]);
    pickupChip.move(5, 5); // nothing left to move
    pickupChip.remove();
    expect(chips()).toEqual([]);
  });
});
