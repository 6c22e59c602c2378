import type { DragTarget } from './dragId';
import { fieldType, LAYOUT_TYPES, type FieldTypeId } from './fieldTypes';
import type { DesignTree } from './types';

/**
 * dropAllowed says whether what is dragged may land on a target, so only the places that
 * make sense light up and the keyboard moves only between them: sections among
 * sections, fields among fields and section bodies, columns within their own table, and
 * from the palette a field kind anywhere a field goes (into a sub-table only kinds that
 * can be columns) and a section among sections.
 *
 * @example
 * dropAllowed({ type: 'palette', kind: 'subtable' }, { type: 'table', id: t }, tree) // false
 */
export function dropAllowed(active: DragTarget, target: DragTarget, tree: DesignTree): boolean {
  const isSectionLike = active.type === 'section' || (active.type === 'palette' && (LAYOUT_TYPES as readonly string[]).includes(active.kind));
  if (isSectionLike) return target.type === 'section' || target.type === 'end';
  switch (active.type) {
    case 'palette': {
      if (target.type === 'column' || target.type === 'table') return fieldType(active.kind as FieldTypeId).column;
      return target.type === 'field' || target.type === 'zone' || target.type === 'loose' || target.type === 'end';
    }
    case 'field':
      return target.type === 'field' || target.type === 'zone' || target.type === 'loose' || target.type === 'end';
    case 'column': {
      const table = tree.fields.find((f) => f.columns?.nodes.some((c) => c.id === active.id));
      if (!table) return false;
      if (target.type === 'table') return target.id === table.id;
      return target.type === 'column' && table.columns!.nodes.some((c) => c.id === target.id);
    }
  }
  return false;
}
