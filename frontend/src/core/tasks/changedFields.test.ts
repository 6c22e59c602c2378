import type { Column } from '../forms/columns';
import { changedFields } from './changedFields';

const columns: Column[] = [
  { name: 'approved_limit', widget: 'money' },
  { name: 'term_months', widget: 'select', options: [{ value: 12, label: {} }, { value: 24, label: {} }] },
  { name: 'note', widget: 'text' },
];

describe('changedFields', () => {
  it('sends only what the person changed, as the record takes it', () => {
    expect(
      changedFields(columns, { approved_limit: '150000', term_months: '1', note: '' }, { approved_limit: 100000, term_months: 24 }),
    ).toEqual({ approved_limit: 150000 });
  });

  it('sends an emptied field as null', () => {
    expect(changedFields(columns, { note: '' }, { note: 'was here' })).toEqual({ note: null });
  });

  it('sends nothing for untouched inputs', () => {
    expect(changedFields(columns, {}, { approved_limit: 1 })).toEqual({});
  });
});
