import { moveItem } from './moveItem';
import type { DesignTree } from './types';

/**
 * moveColumn moves a sub-table's column to index within its table. The order is that of
 * the stored JSON (the server orders a table's columns by name when it lists them).
 *
 * @example
 * moveColumn(tree, contacts.id, phone.id, 0)
 */
export function moveColumn(tree: DesignTree, tableId: string, columnId: string, index: number): DesignTree {
  let changed = false;
  const fields = tree.fields.map((f) => {
    const cols = f.columns;
    if (f.id !== tableId || !cols) return f;
    const from = cols.nodes.findIndex((c) => c.id === columnId);
    if (from < 0 || from === index) return f;
    changed = true;
    return { ...f, columns: { ...cols, nodes: moveItem(cols.nodes, from, index) } };
  });
  return changed ? { ...tree, fields } : tree;
}
