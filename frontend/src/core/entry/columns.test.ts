import type { FieldAccess } from '../api/types';
import { cellEditable } from './cellEditable';
import { editableProblems } from './editableProblems';
import { fixedCells } from './fixedCells';
import { fromEntryValue } from './fromEntryValue';
import { initialValues } from './initialValues';
import { newRow } from './newRow';
import { recordData } from './recordData';
import { recordPatch } from './recordPatch';
import { entryOf, type ColumnRights } from './testForms';
import type { EntryField, EntryRow } from './types';

type Rights = Pick<FieldAccess, 'view' | 'write'>;
const full: Rights = { view: 'full', write: true };

/** contactsOf is the loan form for a reader with these rights on the emergency contacts' columns. */
function contactsOf(byColumn: Record<string, Rights | undefined>) {
  const columns: ColumnRights = (table, column) => (table === 'emergency_contacts' ? byColumn[column] : full);
  const form = entryOf('loan_application', () => full, columns);
  const table = form.fields.find((f) => f.name === 'emergency_contacts') as EntryField;
  return { form, table };
}

// As the reader gets the record: the hidden phone is absent from every row.
const read = { emergency_contacts: [{ name: '李四', relation: 'spouse' }, { name: '赵六', relation: 'friend' }] };

describe('sub-table columns with rights of their own', () => {
  it('takes each column’s rights from the access answer, and whether rows may be removed', () => {
    const { form, table } = contactsOf({ name: full, relation: { view: 'full', write: false } });
    expect(table.columns?.map((c) => [c.name, c.view, c.write])).toEqual([['name', 'full', true], ['relation', 'full', false]]);
    expect(table).toMatchObject({ view: 'full', write: true, removeRows: false });
    const items = (form.schema?.['properties'] as Record<string, { items: { properties: object; required: string[] } }>)['emergency_contacts']?.items;
    expect(Object.keys(items?.properties ?? {})).toEqual(['name', 'relation']);
    expect(contactsOf({ name: full, relation: full, phone: full }).table.removeRows).toBe(true);
  });

  it('sends the whole table back: changed cells as typed, read-only cells as read, hidden ones left out', () => {
    const { form, table } = contactsOf({ name: full, relation: { view: 'full', write: false } });
    const base = initialValues(form, read);
    const rows = base['emergency_contacts'] as EntryRow[];
    expect(rows.map((r) => r.read)).toEqual(read.emergency_contacts);
    const changed = rows.map((r, i) => (i === 0 ? { ...r, cells: { ...r.cells, name: '李小四', relation: '5' } } : r));
    // A new row carries only the columns the reader may give; its read-only relation is left out.
    const added = newRow(table);
    added.cells = { ...added.cells, name: '王五', relation: '0' };
    expect(recordPatch(form, base, { ...base, emergency_contacts: [...changed, added] })).toEqual({
      emergency_contacts: [{ name: '李小四', relation: 'spouse' }, { name: '赵六', relation: 'friend' }, { name: '王五' }],
    });
    expect(recordPatch(form, base, base)).toEqual({});
  });

  it('sends a masked column back exactly as the server masked it', () => {
    const { form } = contactsOf({ name: full, phone: { view: 'masked', write: true } });
    const data = { emergency_contacts: [{ name: '李四', phone: '138****0000' }] };
    const base = initialValues(form, data);
    const rows = base['emergency_contacts'] as EntryRow[];
    const values = { ...base, emergency_contacts: rows.map((r) => ({ ...r, cells: { ...r.cells, name: '李小四' } })) };
    expect(recordPatch(form, base, values)).toEqual({ emergency_contacts: [{ name: '李小四', phone: '138****0000' }] });
  });

  it('lets a writer who may not read fill every column of new rows, but none of a saved row', () => {
    const writeOnly: Rights = { view: 'none', write: true };
    const { form, table } = contactsOf({ name: writeOnly, relation: writeOnly, phone: writeOnly });
    const phone = table.columns?.find((c) => c.name === 'phone') as EntryField;
    expect(cellEditable(phone, newRow(table))).toBe(true);
    expect(cellEditable(phone, { read: {} })).toBe(false);
    const values = initialValues(form);
    const [row] = values['emergency_contacts'] as EntryRow[];
    if (!row) throw new Error('no first row');
    row.cells = { name: '李四', relation: '0', phone: '13800000000' };
    expect(recordData(form, values)['emergency_contacts']).toEqual([{ name: '李四', relation: 'spouse', phone: '13800000000' }]);
  });

  it('keeps the problems of cells the reader cannot change out of their way', () => {
    const { form, table } = contactsOf({ name: full, relation: { view: 'full', write: false } });
    const values = initialValues(form, read);
    values['emergency_contacts'] = [...(values['emergency_contacts'] as EntryRow[]), newRow(table)];
    const fixed = fixedCells(form, values);
    expect([...fixed]).toEqual(['/emergency_contacts/0/relation', '/emergency_contacts/1/relation', '/emergency_contacts/2/relation']);
    const found = [
      { path: '/emergency_contacts/2/relation', code: 'required', message: 'is required' },
      { path: '/emergency_contacts/2/name', code: 'required', message: 'is required' },
      { path: '/emergency_contacts/0/relation', code: 'enum', message: 'not allowed' },
    ];
    expect(editableProblems(found, new Set(['emergency_contacts']), fixed).map((p) => p.path)).toEqual(['/emergency_contacts/2/name']);
    expect(fromEntryValue(values['emergency_contacts'], table)).toEqual([...read.emergency_contacts, {}]);
  });
});
