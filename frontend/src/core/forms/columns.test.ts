import type { FormAccess } from '../api/types';
import { columnsOf } from './columns';

const access: FormAccess = {
  form: 'loan', version: 1, create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'name', view: 'masked', write: false, sensitive: true, label: { en: 'Name' }, widget: 'text' },
    { name: 'amount', view: 'full', write: false, label: { en: 'Amount' }, widget: 'money' },
    { name: 'notes', view: 'none', write: true, label: { en: 'Notes' }, widget: 'textarea' },
    { name: 'term', view: 'full', write: false, label: { en: 'Term' }, widget: 'select', options: [{ value: 12, label: { en: '12 months' } }] },
  ],
};

describe('columnsOf', () => {
  it('keeps the readable fields in the server’s order, labelled as the server labels them', () => {
    const cols = columnsOf(access);
    expect(cols.map((c) => c.name)).toEqual(['name', 'amount', 'term']);
    expect(cols[1]).toEqual({ name: 'amount', label: { en: 'Amount' }, widget: 'money' });
    expect(cols[2]?.options).toEqual([{ value: 12, label: { en: '12 months' } }]);
  });

  it('stands the name in for a field the server sent without a label', () => {
    expect(columnsOf({ ...access, fields: [{ name: 'x', view: 'full', write: false }] })).toEqual([{ name: 'x' }]);
  });

  it('gives a sub-table the columns the caller may read, each labelled', () => {
    const contacts = {
      name: 'contacts', view: 'full', write: true, label: { en: 'Contacts' }, widget: 'subtable',
      columns: [
        { name: 'name', view: 'full', write: true, label: { en: 'Name' }, widget: 'text' },
        { name: 'phone', view: 'masked', write: false, label: { en: 'Phone' }, widget: 'phone' },
        { name: 'note', view: 'none', write: true, label: { en: 'Note' } },
      ],
    } satisfies FormAccess['fields'][number];
    expect(columnsOf({ ...access, fields: [contacts] })[0]?.columns).toEqual([
      { name: 'name', label: { en: 'Name' }, widget: 'text' },
      { name: 'phone', label: { en: 'Phone' }, widget: 'phone' },
    ]);
  });
});

