import type { FormAccess, FormDefinition } from '../api/types';
import { columnsOf } from './columns';

const def: FormDefinition = {
  key: 'loan',
  fields: {
    amount: { label: { en: 'Amount' }, widget: 'money' },
    name: { label: { en: 'Name' }, widget: 'text', sensitive: true },
    income: { label: { en: 'Income' }, widget: 'money' },
    note: { label: { en: 'Note' }, widget: 'textarea' },
  },
  layout: { sections: [{ key: 'who', fields: ['name', 'amount'] }] },
};

const access = (names: Array<[string, 'none' | 'masked' | 'full']>): FormAccess => ({
  form: 'loan', version: 1, create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: names.map(([name, view]) => ({ name, view, write: false })),
});

describe('columnsOf', () => {
  it('orders by layout, then definition, and keeps only readable fields', () => {
    const cols = columnsOf(def, access([['amount', 'full'], ['name', 'masked'], ['note', 'full'], ['income', 'none']]));
    expect(cols.map((c) => c.name)).toEqual(['name', 'amount', 'note']);
    expect(cols[1]).toEqual({ name: 'amount', label: { en: 'Amount' }, widget: 'money' });
  });

  it('never shows a field the server left out of access', () => {
    expect(columnsOf(def, access([['amount', 'full']])).map((c) => c.name)).toEqual(['amount']);
  });

  it('falls back to the access order and names without the definition', () => {
    expect(columnsOf(null, access([['income', 'masked'], ['amount', 'full']]))).toEqual([{ name: 'income' }, { name: 'amount' }]);
  });
});
