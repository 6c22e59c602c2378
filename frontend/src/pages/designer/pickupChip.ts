let shown: HTMLElement | null = null;

/**
 * pickupChip draws the drag chip straight into the page when the pointer picks a palette
 * item up, so it shows in the frame the pick-up's move arrived for. The drag library's
 * own chip (its DragOverlay) comes with the renders that start a drag, a frame or two
 * later, and takes this one's place: the same look, where the library puts it (over the
 * picked-up item, moved by the pointer's travel since the press). One pointer drags at a
 * time, so there is at most one chip.
 *
 * @example
 * pickupChip.show(item, 'Text'); // at the pick-up
 * pickupChip.move(dx, dy); // each move until the hand-over
 * pickupChip.remove(); // when the library's chip is in the page, or the drag ends
 */
export const pickupChip = {
  show(over: Element, label: string): void {
    pickupChip.remove();
    const r = over.getBoundingClientRect();
    // As the library's overlay: a fixed box the size of the item, the chip inside; moved
    // by a transform from the start, so its text is drawn alike before and after.
    const box = over.ownerDocument.createElement('div');
    Object.assign(box.style, {
      position: 'fixed',
      touchAction: 'none',
      zIndex: '999',
      top: `${r.top}px`,
      left: `${r.left}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
      transform: 'translate3d(0px, 0px, 0px)',
    });
    const chip = over.ownerDocument.createElement('div');
    chip.className = 'drag-chip';
    chip.textContent = label;
    box.append(chip);
    over.ownerDocument.body.append(box);
    shown = box;
  },

  move(x: number, y: number): void {
    if (shown) shown.style.transform = `translate3d(${x}px, ${y}px, 0)`;
  },

  remove(): void {
    shown?.remove();
    shown = null;
  },
};
