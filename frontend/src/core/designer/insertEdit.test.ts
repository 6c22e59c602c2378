import type { DropMakers } from './dropEdit';
import { insertEdit } from './insertEdit';
import { newField } from './newField';
import { newSection } from './newSection';
import { idOf, testTree } from './testForm';

const words = { label: { en: 'New' }, option: (n: number) => ({ en: `O${n}` }), column: { en: 'Item' } };
const make: DropMakers = {
  field: (kind, taken) => newField(kind, taken, words),
  section: (kind, taken) => newSection(taken, { en: 'Section' }, kind === 'columns' ? 2 : 1),
};

describe('insertEdit', () => {
  const tree = testTree();
  const [one, two] = tree.sections;

  it('adds a field after the selected field, at the end of the selected section, else at the end of the last', () => {
    expect(insertEdit(tree, 'phone', { type: 'field', id: idOf(tree, 'name') }, make)).toMatchObject({ to: { section: one!.id, index: 1 } });
    expect(insertEdit(tree, 'phone', { type: 'section', id: one!.id }, make)).toMatchObject({ to: { section: one!.id, index: 2 } });
    expect(insertEdit(tree, 'phone', { type: 'form' }, make)).toMatchObject({ to: { section: two!.id, index: 2 } });
  });

  it('adds a column to the selected sub-table or after the selected column', () => {
    expect(insertEdit(tree, 'phone', { type: 'field', id: idOf(tree, 'contacts') }, make)).toMatchObject({ kind: 'addColumn', index: 2 });
    expect(insertEdit(tree, 'phone', { type: 'field', id: idOf(tree, 'contacts.who') }, make)).toMatchObject({ kind: 'addColumn', index: 1 });
  });

  it('adds what cannot be a column after the sub-table instead', () => {
    expect(insertEdit(tree, 'attachment', { type: 'field', id: idOf(tree, 'contacts.who') }, make)).toMatchObject({
      kind: 'addField',
      to: { section: two!.id, index: 1 },
    });
  });

  it('adds a section after the selected one, or last', () => {
    expect(insertEdit(tree, 'section', { type: 'section', id: one!.id }, make)).toMatchObject({ kind: 'addSection', index: 1 });
    expect(insertEdit(tree, 'columns', { type: 'field', id: idOf(tree, 'annual') }, make)).toMatchObject({ kind: 'addSection', index: 2 });
    expect(insertEdit(tree, 'section', { type: 'form' }, make)).toMatchObject({ kind: 'addSection', index: 2 });
  });
});
