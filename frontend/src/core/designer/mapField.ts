import type { DesignTree, FieldNode } from './types';

/**
 * mapField returns the tree with the field or sub-table column of this id replaced by
 * fn's result; fn also learns the column's table. Nothing else is copied.
 *
 * @example
 * mapField(tree, id, (node) => ({ ...node, meta: { ...meta, indexed: true } }))
 */
export function mapField(tree: DesignTree, id: string, fn: (node: FieldNode, table?: FieldNode) => FieldNode): DesignTree {
  let hit = false;
  const fields = tree.fields.map((node) => {
    if (node.id === id) {
      hit = true;
      return fn(node);
    }
    const cols = node.columns;
    if (!cols || !cols.nodes.some((c) => c.id === id)) return node;
    hit = true;
    return { ...node, columns: { ...cols, nodes: cols.nodes.map((c) => (c.id === id ? fn(c, node) : c)) } };
  });
  return hit ? { ...tree, fields } : tree;
}
