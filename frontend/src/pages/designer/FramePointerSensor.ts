import { PointerSensor, type PointerSensorProps } from '@dnd-kit/core';
import { flushSync } from 'react-dom';

/**
 * FramePointerSensor is the drag library's pointer sensor whose moves render at once.
 * The browser hands pointer moves to the page just before it draws a frame; an update
 * left to React's scheduler renders after that frame and shows a frame later, so the
 * dragged chip and the target's highlight trailed the pointer by one to two frames.
 * Rendered within the move, they show in the frame the move arrived for.
 */
export class FramePointerSensor extends PointerSensor {
  constructor(props: PointerSensorProps) {
    super({ ...props, onMove: (coordinates) => flushSync(() => props.onMove(coordinates)) });
  }
}
