import { placeField } from './placeField';
import type { DesignTree, FieldNode, Slot } from './types';

/**
 * addField adds a new top-level field and places it. Its name must be free (see
 * uniqueName): a name already used leaves the tree unchanged rather than lose a field.
 *
 * @example
 * addField(tree, newField('phone', names, words), { section: contact.id, index: 2 })
 */
export function addField(tree: DesignTree, node: FieldNode, slot: Slot): DesignTree {
  if (tree.fields.some((f) => f.name === node.name)) return tree;
  return placeField({ ...tree, fields: [...tree.fields, node] }, node.id, slot);
}
