import type { Edit } from './applyEdit';
import { dragId } from './dragId';
import { dropEdit, type DropMakers } from './dropEdit';
import { LAYOUT_TYPES, type FieldTypeId, type LayoutTypeId } from './fieldTypes';
import { sectionKeys } from './sectionKeys';
import type { DesignTree } from './types';

/** Selection is what the property panel shows: the form, a section or a field (or column), by node id. */
export type Selection = { type: 'form' } | { type: 'section' | 'field'; id: string };

/**
 * insertEdit is the edit a palette item's "add" button makes — the keyboard's and the
 * click's way to add without dragging: a field goes after the selected field (a column
 * after the selected column, or at the end of the selected sub-table), at the end of the
 * selected section, else at the end of the last section; a section goes after the
 * selected one (or the selected field's), else last.
 *
 * @example
 * insertEdit(tree, 'phone', { type: 'section', id: contact.id }, makers) // addField at the end of contact
 */
export function insertEdit(tree: DesignTree, kind: FieldTypeId | LayoutTypeId, selection: Selection, make: DropMakers): Edit | null {
  const palette = dragId.palette(kind);
  const isColumn = selection.type === 'field' && tree.fields.some((f) => f.columns?.nodes.some((c) => c.id === selection.id));
  const table = selection.type === 'field' ? tree.fields.find((f) => f.id === selection.id && f.columns) : undefined;

  if ((LAYOUT_TYPES as readonly string[]).includes(kind)) {
    let index = tree.sections.length;
    if (selection.type === 'section') index = tree.sections.findIndex((s) => s.id === selection.id) + 1;
    if (selection.type === 'field' && !isColumn) {
      const name = tree.fields.find((f) => f.id === selection.id)?.name;
      const at = tree.sections.findIndex((s) => name !== undefined && s.items?.includes(name));
      if (at >= 0) index = at + 1;
    }
    return { kind: 'addSection', section: make.section(kind as LayoutTypeId, sectionKeys(tree)), index };
  }

  if (selection.type === 'field') {
    if (isColumn) {
      const edit = dropEdit(tree, palette, dragId.column(selection.id), { after: true }, make);
      if (edit) return edit;
      const owner = tree.fields.find((f) => f.columns?.nodes.some((c) => c.id === selection.id))!;
      return dropEdit(tree, palette, dragId.field(owner.id), { after: true }, make);
    }
    if (table) {
      const edit = dropEdit(tree, palette, dragId.table(table.id), { after: false }, make);
      if (edit) return edit;
    }
    return dropEdit(tree, palette, dragId.field(selection.id), { after: true }, make);
  }
  if (selection.type === 'section') return dropEdit(tree, palette, dragId.zone(selection.id), { after: false }, make);
  return dropEdit(tree, palette, dragId.end, { after: false }, make);
}

