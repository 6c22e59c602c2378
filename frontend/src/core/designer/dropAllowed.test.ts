import { dropAllowed } from './dropAllowed';
import type { DragTarget } from './dragId';
import { idOf, testTree } from './testForm';

describe('dropAllowed', () => {
  const tree = testTree();
  const field = (name: string): DragTarget => ({ type: 'field', id: idOf(tree, name) });
  const column = (name: string): DragTarget => ({ type: 'column', id: idOf(tree, name) });
  const section: DragTarget = { type: 'section', id: tree.sections[0]!.id };
  const zone: DragTarget = { type: 'zone', section: tree.sections[0]!.id };
  const table: DragTarget = { type: 'table', id: idOf(tree, 'contacts') };

  it('keeps sections among sections', () => {
    expect(dropAllowed(section, { type: 'section', id: tree.sections[1]!.id }, tree)).toBe(true);
    expect(dropAllowed(section, { type: 'end' }, tree)).toBe(true);
    expect(dropAllowed(section, field('name'), tree)).toBe(false);
    expect(dropAllowed({ type: 'palette', kind: 'columns' }, zone, tree)).toBe(false);
  });

  it('lets fields go to fields, section bodies and no section, never into a table', () => {
    for (const target of [field('income'), zone, { type: 'loose' } as DragTarget]) expect(dropAllowed(field('name'), target, tree)).toBe(true);
    expect(dropAllowed(field('name'), section, tree)).toBe(false);
    expect(dropAllowed(field('name'), table, tree)).toBe(false);
    expect(dropAllowed(field('name'), column('contacts.who'), tree)).toBe(false);
  });

  it('keeps columns in their own table', () => {
    expect(dropAllowed(column('contacts.who'), column('contacts.phone'), tree)).toBe(true);
    expect(dropAllowed(column('contacts.who'), table, tree)).toBe(true);
    expect(dropAllowed(column('contacts.who'), zone, tree)).toBe(false);
  });

  it('lets palette kinds that can be columns into tables', () => {
    expect(dropAllowed({ type: 'palette', kind: 'phone' }, table, tree)).toBe(true);
    expect(dropAllowed({ type: 'palette', kind: 'subtable' }, column('contacts.who'), tree)).toBe(false);
    expect(dropAllowed({ type: 'palette', kind: 'subtable' }, zone, tree)).toBe(true);
  });
});
