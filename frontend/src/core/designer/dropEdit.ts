import type { Edit } from './applyEdit';
import { dragId } from './dragId';
import { fieldType, LAYOUT_TYPES, type FieldTypeId, type LayoutTypeId } from './fieldTypes';
import { sectionKeys } from './sectionKeys';
import type { DesignTree, FieldNode, SectionNode, Slot } from './types';

/** DropMakers make the new nodes a drop from the palette adds. */
export interface DropMakers {
  field(kind: FieldTypeId, taken: readonly string[]): FieldNode;
  section(kind: LayoutTypeId, taken: readonly string[]): SectionNode;
}

/**
 * dropEdit turns a finished drag (what was dragged, what it was dropped on) into the
 * edit it means, or null when the drop means nothing (a section into a sub-table, a
 * column out of its table, a sub-table into a sub-table). Within one list the dragged
 * item takes the place of the one it was dropped on; into another list it goes before
 * that item, or after it when after is set (it was dropped on its lower half).
 *
 * @example
 * dropEdit(tree, 'palette:phone', 'zone:n3', { after: false }, makers)
 * // { kind: 'addField', node: <phone>, to: { section: 'n3', index: 2 } }
 */
export function dropEdit(tree: DesignTree, active: string, over: string | null, opts: { after: boolean }, make: DropMakers): Edit | null {
  const a = dragId.parse(active);
  const o = over === null ? null : dragId.parse(over);
  if (!a || !o || active === over) return null;
  const after = opts.after ? 1 : 0;
  const topNames = tree.fields.map((f) => f.name);
  const sectionIndexOf = (id: string) => tree.sections.findIndex((s) => s.id === id);
  const placeOf = (name: string) => {
    for (const s of tree.sections) {
      const i = s.items?.indexOf(name) ?? -1;
      if (i >= 0) return { section: s, index: i };
    }
    return undefined;
  };
  const tableOfColumn = (id: string) => tree.fields.find((f) => f.columns?.nodes.some((c) => c.id === id));

  // Where a field dropped on o goes.
  const slot = (same: SectionNode | undefined): Slot | null => {
    switch (o.type) {
      case 'field': {
        const node = tree.fields.find((f) => f.id === o.id);
        if (!node) return null;
        const at = placeOf(node.name);
        if (!at) return { section: null };
        return { section: at.section.id, index: at.index + (at.section === same ? 0 : after) };
      }
      case 'zone': {
        const s = tree.sections[sectionIndexOf(o.section)];
        return s ? { section: s.id, index: s.items?.length ?? 0 } : null;
      }
      case 'section':
        return sectionIndexOf(o.id) >= 0 ? { section: o.id, index: 0 } : null;
      case 'loose':
        return { section: null };
      case 'end': {
        const last = tree.sections.at(-1);
        return last ? { section: last.id, index: last.items?.length ?? 0 } : { section: null };
      }
    }
    return null;
  };
  // Where a column dropped on o goes: its table and index.
  const columnSlot = (sameTable: string | undefined) => {
    if (o.type === 'column') {
      const table = tableOfColumn(o.id);
      const index = table?.columns?.nodes.findIndex((c) => c.id === o.id) ?? -1;
      return table ? { table, index: index + (table.id === sameTable ? 0 : after) } : null;
    }
    if (o.type === 'table') {
      const table = tree.fields.find((f) => f.id === o.id && f.columns);
      return table ? { table, index: table.columns!.nodes.length } : null;
    }
    return null;
  };
  // Where a section dropped on o goes.
  const sectionIndex = (): number => {
    switch (o.type) {
      case 'section':
        return sectionIndexOf(o.id);
      case 'zone':
        return sectionIndexOf(o.section);
      case 'field': {
        const node = tree.fields.find((f) => f.id === o.id);
        const at = node ? placeOf(node.name) : undefined;
        return at ? sectionIndexOf(at.section.id) : tree.sections.length;
      }
      case 'column':
      case 'table': {
        const table = o.type === 'table' ? tree.fields.find((f) => f.id === o.id) : tableOfColumn(o.id);
        const at = table ? placeOf(table.name) : undefined;
        return at ? sectionIndexOf(at.section.id) : tree.sections.length;
      }
    }
    return tree.sections.length;
  };

  switch (a.type) {
    case 'palette': {
      if ((LAYOUT_TYPES as readonly string[]).includes(a.kind)) {
        const index = sectionIndex();
        return { kind: 'addSection', section: make.section(a.kind as LayoutTypeId, sectionKeys(tree)), index: index < 0 ? tree.sections.length : index };
      }
      const kind = a.kind as FieldTypeId;
      const col = columnSlot(undefined);
      if (col) {
        if (!fieldType(kind).column) return null;
        const node = make.field(kind, col.table.columns!.nodes.map((c) => c.name));
        return { kind: 'addColumn', table: col.table.id, node, index: col.index };
      }
      const to = slot(undefined);
      return to ? { kind: 'addField', node: make.field(kind, topNames), to } : null;
    }
    case 'field': {
      const node = tree.fields.find((f) => f.id === a.id);
      if (!node) return null;
      const to = slot(placeOf(node.name)?.section);
      return to ? { kind: 'placeField', field: a.id, to } : null;
    }
    case 'column': {
      const table = tableOfColumn(a.id);
      const to = columnSlot(table?.id);
      if (!table || !to || to.table !== table) return null;
      return { kind: 'moveColumn', table: table.id, column: a.id, index: to.index };
    }
    case 'section': {
      const index = sectionIndex();
      if (index < 0) return null;
      return { kind: 'moveSection', section: a.id, index: Math.min(index, tree.sections.length - 1) };
    }
  }
  return null;
}

