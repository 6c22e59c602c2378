import type { DesignTree, FieldNode } from './types';

/**
 * addColumn adds a column to a sub-table at index. A name the table already has, a
 * field that is no sub-table, or a column that is itself a sub-table leaves the tree
 * unchanged (the format has no sub-table inside a sub-table).
 *
 * @example
 * addColumn(tree, contacts.id, newField('phone', names, words), 2)
 */
export function addColumn(tree: DesignTree, tableId: string, column: FieldNode, index: number): DesignTree {
  if (column.columns) return tree;
  let changed = false;
  const fields = tree.fields.map((f) => {
    const cols = f.columns;
    if (f.id !== tableId || !cols || cols.nodes.some((c) => c.name === column.name)) return f;
    changed = true;
    const nodes = [...cols.nodes];
    nodes.splice(Math.max(0, Math.min(index, nodes.length)), 0, column);
    return { ...f, columns: { ...cols, nodes } };
  });
  return changed ? { ...tree, fields } : tree;
}
