import type { DesignTree, FieldNode } from './types';

/** FoundField is a field node and, for a sub-table column, its table. */
export interface FoundField {
  node: FieldNode;
  table?: FieldNode;
}

/**
 * findField finds a field or sub-table column by its designer id.
 *
 * @example
 * findField(tree, id)?.table?.name // "emergency_contacts" for one of its columns
 */
export function findField(tree: DesignTree, id: string): FoundField | undefined {
  for (const node of tree.fields) {
    if (node.id === id) return { node };
    const col = node.columns?.nodes.find((c) => c.id === id);
    if (col) return { node: col, table: node };
  }
  return undefined;
}
