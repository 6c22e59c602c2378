import { PointerSensor, type PointerSensorOptions, type SensorProps, type UniqueIdentifier } from '@dnd-kit/core';
import { flushSync } from 'react-dom';
import { pickupChip } from './pickupChip';

/** FramePointerSensorOptions are the pointer sensor's options and the chip a pick-up shows. */
export interface FramePointerSensorOptions extends PointerSensorOptions {
  /** chip names the chip that follows the pointer for a draggable, or is null for one that moves in place. */
  chip?: (id: UniqueIdentifier) => string | null;
}

/**
 * FramePointerSensor is the drag library's pointer sensor whose moves render at once.
 * The browser hands pointer moves to the page just before it draws a frame; an update
 * left to React's scheduler renders after that frame and shows a frame later, so the
 * dragged chip and the target's highlight trailed the pointer by one to two frames.
 * Rendered within the move, they show in the frame the move arrived for.
 *
 * The pick-up is not rendered within its move: the library's start of a drag renders
 * every sortable item several times and measures every target, too much for the frame.
 * The chip is drawn at once instead (pickupChip), and the library's own takes its place
 * when those renders are done.
 */
export class FramePointerSensor extends PointerSensor {
  constructor(props: SensorProps<FramePointerSensorOptions>) {
    let from: { x: number; y: number } | null = null;
    super({
      ...props,
      onStart: (coordinates) => {
        const label = props.options.chip?.(props.active) ?? null;
        const item = props.activeNode.node.current;
        if (label !== null && item) {
          from = coordinates;
          pickupChip.show(item, label);
        }
        props.onStart(coordinates);
      },
      onMove: (coordinates) => {
        if (from) pickupChip.move(coordinates.x - from.x, coordinates.y - from.y);
        flushSync(() => props.onMove(coordinates));
      },
      // A drag that ends before the library's chip shows leaves none behind.
      onEnd: () => {
        pickupChip.remove();
        props.onEnd();
      },
      onCancel: () => {
        pickupChip.remove();
        props.onCancel();
      },
    });
  }
}
