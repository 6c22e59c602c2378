import type { FieldAccess } from '../api/types';
import { filterOps } from './filterOps';
import { listFilter } from './listFilter';
import { queryable } from './queryable';
import { readListState } from './readListState';
import { writeListState } from './writeListState';

const fields: FieldAccess[] = [
  { name: 'amount', view: 'full', write: false, widget: 'money' },
  { name: 'channel', view: 'full', write: false, widget: 'select', options: [{ value: 'online', label: { en: 'Online' } }, { value: 'branch', label: { en: 'Branch' } }] },
  { name: 'term_months', view: 'full', write: false, widget: 'select', options: [{ value: 12, label: { en: '12' } }] },
  { name: 'fpd', view: 'full', write: false, widget: 'checkbox' },
  { name: 'mobile_phone', view: 'masked', write: false, widget: 'phone' },
  { name: 'applicant_name', view: 'full', write: false, widget: 'text' },
];

describe('record list state', () => {
  it('reads and writes filters, sort and columns in the URL', () => {
    const s = readListState(new URLSearchParams('f=amount:gte:100000&f=approved_on:lt:2026-01-01T00:00&sort=-amount&cols=a,b&x=1'));
    expect(s).toEqual({
      filters: [{ field: 'amount', op: 'gte', value: '100000' }, { field: 'approved_on', op: 'lt', value: '2026-01-01T00:00' }],
      sort: '-amount', cols: ['a', 'b'],
    });
    expect(writeListState(new URLSearchParams('x=1'), s).toString()).toBe('x=1&f=amount%3Agte%3A100000&f=approved_on%3Alt%3A2026-01-01T00%3A00&sort=-amount&cols=a%2Cb');
    expect(readListState(new URLSearchParams('f=bad&f=a:like:b&cols=*'))).toEqual({ filters: [], sort: '-_created_at', cols: 'all' });
    expect(writeListState(new URLSearchParams(), { filters: [], sort: '-_created_at', cols: null }).toString()).toBe('');
  });

  it('types each value as its field holds it', () => {
    const { filter, bad } = listFilter(
      [
        { field: 'amount', op: 'gte', value: '100000' },
        { field: 'channel', op: 'in', value: 'online, branch' },
        { field: 'term_months', op: 'eq', value: '12' },
        { field: 'fpd', op: 'eq', value: 'true' },
        { field: 'applicant_name', op: 'exists', value: 'false' },
        { field: 'amount', op: 'lt', value: 'lots' },
      ],
      fields,
    );
    expect(filter).toEqual({
      and: [
        { field: 'amount', op: 'gte', value: 100000 },
        { field: 'channel', op: 'in', value: ['online', 'branch'] },
        { field: 'term_months', op: 'eq', value: 12 },
        { field: 'fpd', op: 'eq', value: true },
        { field: 'applicant_name', op: 'exists', value: false },
      ],
    });
    expect(bad).toEqual([5]);
    expect(listFilter([{ field: 'amount', op: 'eq', value: '1' }], fields).filter).toEqual({ field: 'amount', op: 'eq', value: 1 });
  });

  it('offers filters and sorting only where the server allows them', () => {
    expect(fields.filter(queryable).map((f) => f.name)).toEqual(['amount', 'channel', 'term_months', 'fpd', 'applicant_name']);
    expect(filterOps(fields[0]!)).toContain('gte');
    expect(filterOps(fields[1]!)).toEqual(['eq', 'ne', 'in', 'nin', 'exists']);
    expect(filterOps(fields[5]!)).toContain('contains');
  });
});
