let last = 0;

/**
 * newId hands out a handle for a designer node, unique within this page's life. Handles
 * never reach the definition: they only let the canvas, drag and drop and the property
 * panel follow a node through renames.
 *
 * @example
 * newId() // "n17"
 */
export function newId(): string {
  last += 1;
  return `n${last}`;
}
