import { dropEdit, type DropMakers } from './dropEdit';
import { newField } from './newField';
import { newSection } from './newSection';
import { idOf, testTree } from './testForm';

const words = { label: { en: 'New' }, option: (n: number) => ({ en: `O${n}` }), column: { en: 'Item' } };
const make: DropMakers = {
  field: (kind, taken) => newField(kind, taken, words),
  section: (kind, taken) => newSection(taken, { en: 'Section' }, kind === 'columns' ? 2 : 1),
};

describe('dropEdit', () => {
  const tree = testTree();
  const [one, two] = tree.sections;
  const f = (name: string) => `field:${idOf(tree, name)}`;
  const c = (name: string) => `column:${idOf(tree, name)}`;

  it('reorders within a section by taking the place of the item dropped on', () => {
    expect(dropEdit(tree, f('name'), f('income'), { after: false }, make)).toEqual({ kind: 'placeField', field: idOf(tree, 'name'), to: { section: one!.id, index: 1 } });
    expect(dropEdit(tree, f('income'), f('name'), { after: true }, make)).toMatchObject({ to: { section: one!.id, index: 0 } });
  });

  it('moves into another section before or after the item dropped on, or at the end of its zone', () => {
    expect(dropEdit(tree, f('name'), f('annual'), { after: false }, make)).toMatchObject({ to: { section: two!.id, index: 1 } });
    expect(dropEdit(tree, f('name'), f('annual'), { after: true }, make)).toMatchObject({ to: { section: two!.id, index: 2 } });
    expect(dropEdit(tree, f('name'), `zone:${two!.id}`, { after: false }, make)).toMatchObject({ to: { section: two!.id, index: 2 } });
    expect(dropEdit(tree, f('name'), 'loose', { after: false }, make)).toMatchObject({ to: { section: null } });
  });

  it('adds a palette field where it is dropped, and as a column in a sub-table', () => {
    const add = dropEdit(tree, 'palette:phone', f('income'), { after: true }, make);
    expect(add).toMatchObject({ kind: 'addField', node: { name: 'phone' }, to: { section: one!.id, index: 2 } });
    const col = dropEdit(tree, 'palette:phone', c('contacts.who'), { after: false }, make);
    expect(col).toMatchObject({ kind: 'addColumn', table: idOf(tree, 'contacts'), node: { name: 'phone_2' }, index: 0 });
    expect(dropEdit(tree, 'palette:text', `table:${idOf(tree, 'contacts')}`, { after: false }, make)).toMatchObject({ index: 2 });
  });

  it('refuses what the format cannot hold', () => {
    expect(dropEdit(tree, 'palette:subtable', c('contacts.who'), { after: false }, make)).toBeNull();
    expect(dropEdit(tree, c('contacts.who'), f('name'), { after: false }, make)).toBeNull();
    expect(dropEdit(tree, f('name'), c('contacts.who'), { after: false }, make)).toBeNull();
    expect(dropEdit(tree, f('name'), null, { after: false }, make)).toBeNull();
    expect(dropEdit(tree, f('name'), f('name'), { after: false }, make)).toBeNull();
  });

  it('reorders columns within their table', () => {
    expect(dropEdit(tree, c('contacts.who'), c('contacts.phone'), { after: false }, make)).toEqual({
      kind: 'moveColumn', table: idOf(tree, 'contacts'), column: idOf(tree, 'contacts.who'), index: 1,
    });
  });

  it('moves sections, and adds a palette section before the one dropped on', () => {
    expect(dropEdit(tree, `section:${two!.id}`, `section:${one!.id}`, { after: false }, make)).toEqual({ kind: 'moveSection', section: two!.id, index: 0 });
    expect(dropEdit(tree, `section:${one!.id}`, 'end', { after: false }, make)).toEqual({ kind: 'moveSection', section: one!.id, index: 1 });
    const add = dropEdit(tree, 'palette:columns', f('annual'), { after: false }, make);
    expect(add).toMatchObject({ kind: 'addSection', index: 1, section: { raw: { key: 'section', columns: 2 } } });
  });
});
