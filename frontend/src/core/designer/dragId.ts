import type { FieldTypeId, LayoutTypeId } from './fieldTypes';

/** DragTarget is what a drag-and-drop id names. */
export type DragTarget =
  | { type: 'palette'; kind: FieldTypeId | LayoutTypeId }
  | { type: 'field' | 'column' | 'section' | 'table'; id: string }
  | { type: 'zone'; section: string }
  | { type: 'loose' }
  | { type: 'end' };

/**
 * dragId builds and reads the ids the canvas gives its draggables and drop zones:
 * "field:<id>", "column:<id>", "section:<id>", "palette:<kind>", "zone:<section id>"
 * (a section's body), "table:<id>" (a sub-table's columns), "loose" (no section) and
 * "end" (after the last section).
 *
 * @example
 * dragId.field('n7') // "field:n7"
 * dragId.parse('zone:n3') // { type: 'zone', section: 'n3' }
 */
export const dragId = {
  palette: (kind: FieldTypeId | LayoutTypeId) => `palette:${kind}`,
  field: (id: string) => `field:${id}`,
  column: (id: string) => `column:${id}`,
  section: (id: string) => `section:${id}`,
  table: (id: string) => `table:${id}`,
  zone: (section: string) => `zone:${section}`,
  loose: 'loose',
  end: 'end',
  parse(value: string | number): DragTarget | null {
    const s = String(value);
    if (s === 'loose') return { type: 'loose' };
    if (s === 'end') return { type: 'end' };
    const i = s.indexOf(':');
    const head = s.slice(0, i);
    const rest = s.slice(i + 1);
    if (i < 0 || rest === '') return null;
    switch (head) {
      case 'palette':
        return { type: 'palette', kind: rest as FieldTypeId | LayoutTypeId };
      case 'zone':
        return { type: 'zone', section: rest };
      case 'field':
      case 'column':
      case 'section':
      case 'table':
        return { type: head, id: rest };
    }
    return null;
  },
};
