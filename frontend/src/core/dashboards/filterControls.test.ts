import type { DashboardFilterDef, FormAccess } from '../api/types';
import { filterControls } from './filterControls';

const loans: FormAccess = {
  form: 'loan_application', version: 1, create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'applied_on', view: 'full', write: false, label: { en: 'Applied on' }, widget: 'date' },
    {
      name: 'channel', view: 'full', write: false, label: { en: 'Channel' }, widget: 'select',
      options: [{ value: 'online', label: { en: 'Online' } }, { value: 'branch', label: { en: 'Branch' } }],
    },
  ],
};

const defs: DashboardFilterDef[] = [
  { id: 'period', field: 'applied_on', kind: 'time_range', label: { en: 'Period' } },
  { id: 'channel', field: 'channel', kind: 'select' },
  { id: 'product', field: 'product', kind: 'select', label: { en: 'Product' } },
];

describe('filterControls', () => {
  it('offers each filter with its field’s choices and label', () => {
    expect(filterControls(defs, [loans])).toEqual([
      { id: 'period', kind: 'time_range', label: { en: 'Period' }, options: [] },
      { id: 'channel', kind: 'select', label: { en: 'Channel' }, options: loans.fields[1]!.options },
    ]);
  });

  it('leaves out a select with nothing to choose', () => {
    expect(filterControls(defs, []).map((c) => c.id)).toEqual(['period']);
  });
});
