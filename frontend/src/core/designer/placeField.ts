import type { DesignTree, Slot } from './types';

/**
 * placeField moves a top-level field to a slot: out of whichever section placed it and
 * into the target section at index (its index once moved), or into no section. A
 * column of a sub-table cannot be placed; the tree comes back unchanged.
 *
 * @example
 * placeField(tree, phone.id, { section: contact.id, index: 0 })
 */
export function placeField(tree: DesignTree, id: string, slot: Slot): DesignTree {
  const node = tree.fields.find((f) => f.id === id);
  if (!node) return tree;
  if (slot.section !== null && !tree.sections.some((s) => s.id === slot.section)) return tree;
  const sections = tree.sections.map((s) => {
    const kept = s.items?.filter((name) => name !== node.name) ?? null;
    if (s.id !== slot.section) return kept && kept.length !== s.items?.length ? { ...s, items: kept } : s;
    const items = [...(kept ?? [])];
    items.splice(Math.max(0, Math.min(slot.index, items.length)), 0, node.name);
    return { ...s, items };
  });
  return sections.every((s, i) => s === tree.sections[i]) ? tree : { ...tree, sections };
}
