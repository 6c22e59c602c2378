import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

// Half a window above and below the view: a card is within reach before the page
// scrolls it in, even at the drag's fastest auto-scroll (a few dozen pixels a frame).
const MARGIN = '50% 0px';

const listeners = new WeakMap<Element, (near: boolean) => void>();
let shared: IntersectionObserver | null | undefined;

/** observer is the one IntersectionObserver of every card, or null where there is none (jsdom). */
function observer(): IntersectionObserver | null {
  if (shared === undefined) {
    shared =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => entries.forEach((e) => listeners.get(e.target)?.(e.isIntersecting)), { rootMargin: MARGIN })
        : null;
  }
  return shared;
}

/** NearViewport is what useNearViewport returns. */
export interface NearViewport {
  /** near is true while the element is in or within half a window of the view, or holds the focus. */
  near: boolean;
  /** ref goes on the element to watch: the root of what the component renders. */
  ref: (el: Element | null) => void;
  /** onFocus goes on the same element: whatever takes the focus is near, wherever it is. */
  onFocus: () => void;
}

/**
 * useNearViewport tells a component whether its element is in or near the window's view,
 * for one that renders a lighter version of itself far from it. Everything is near where
 * the browser cannot tell (no IntersectionObserver). An element holding the focus stays
 * near, and while hold is true (a drag is on) nothing that is near turns far: leaving
 * would unregister a drop target, which has the drag library measure them all again. The
 * component renders a different root when near changes; the focus is put back on the
 * element at the same place in the new root, so a keyboard user keeps their place.
 *
 * @example
 * const { near, ref, onFocus } = useNearViewport(dragging);
 * return near ? <Heavy root={ref} onFocus={onFocus} /> : <Light root={ref} onFocus={onFocus} />;
 */
export function useNearViewport(hold = false): NearViewport {
  const [near, setNear] = useState(() => observer() === null);
  const current = useRef(near);
  const seen = useRef(near);
  const held = useRef(hold);
  const element = useRef<Element | null>(null);
  const refocus = useRef<number[] | null>(null);

  const change = useCallback((to: boolean) => {
    const el = element.current;
    const focused = el && document.activeElement && el.contains(document.activeElement) ? document.activeElement : null;
    if (to === current.current || (!to && (focused || held.current))) return;
    current.current = to;
    refocus.current = focused && el ? pathFrom(el, focused) : null;
    setNear(to);
  }, []);

  const ref = useCallback(
    (el: Element | null) => {
      const io = observer();
      if (element.current) {
        io?.unobserve(element.current);
        listeners.delete(element.current);
      }
      element.current = el;
      if (el && io) {
        listeners.set(el, (to) => {
          seen.current = to;
          change(to);
        });
        io.observe(el);
      }
    },
    [change],
  );

  const onFocus = useCallback(() => change(true), [change]);

  // What scrolled away while held goes once the hold ends.
  useEffect(() => {
    held.current = hold;
    if (!hold) change(seen.current);
  }, [hold, change]);

  useLayoutEffect(() => {
    const path = refocus.current;
    refocus.current = null;
    if (path && element.current) (follow(element.current, path) as HTMLElement | null)?.focus({ preventScroll: true });
  }, [near]);

  return { near, ref, onFocus };
}

/** pathFrom is the child indexes leading from root down to el. */
function pathFrom(root: Element, el: Element): number[] {
  const path: number[] = [];
  for (let n: Element | null = el; n && n !== root; n = n.parentElement) path.unshift(Array.prototype.indexOf.call(n.parentElement?.children ?? [], n));
  return path;
}

/** follow is the element that path leads to from root, if there is one. */
function follow(root: Element, path: number[]): Element | null {
  let n: Element | null = root;
  for (const i of path) n = n?.children[i] ?? null;
  return n;
}
