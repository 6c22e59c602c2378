import type { CSSProperties } from 'react';

/**
 * sortableStyle turns a sortable item's transform and transition into an inline style
 * (the offset it moves by while another item is dragged past it).
 */
export function sortableStyle(transform: { x: number; y: number } | null, transition: string | undefined, dragging: boolean): CSSProperties {
  const style: CSSProperties = {};
  if (transform) style.transform = `translate3d(${Math.round(transform.x)}px, ${Math.round(transform.y)}px, 0)`;
  if (transition) style.transition = transition;
  if (dragging) style.opacity = 0.4;
  return style;
}
