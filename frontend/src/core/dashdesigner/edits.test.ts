import { filterRows } from './filterRows';
import { groupCount } from './groupCount';
import { newDashboard } from './newDashboard';
import { newWidget } from './newWidget';
import { problemKey } from './problemKey';
import { rowsFilter } from './rowsFilter';
import { setMeasureOp } from './setMeasureOp';
import { setWidgetType } from './setWidgetType';
import { uniqueId } from './uniqueId';

const words = { title: { en: 'New widget' }, count: { en: 'Count' }, stage: (n: number) => ({ en: `Stage ${n}` }) };

describe('dashboard edits', () => {
  it('makes widgets with what their type needs', () => {
    expect(newWidget('kpi', 'loan_application', [], words)).toEqual({
      id: 'kpi', type: 'kpi', title: { en: 'New widget' }, form: 'loan_application', measures: [{ name: 'count', op: 'count', label: { en: 'Count' } }],
    });
    expect(newWidget('stacked_bar', 'f', ['stacked_bar'], words)).toMatchObject({ id: 'stacked_bar_2', group_by: [{ field: '' }, { field: '' }] });
    expect(newWidget('funnel', 'f', [], words)['stages']).toHaveLength(2);
    expect(groupCount('table')).toEqual([1, 4]);
    expect(uniqueId('bar', ['bar', 'bar_2'])).toBe('bar_3');
  });

  it('changes a widget’s type keeping what still fits', () => {
    const bar = newWidget('bar', 'f', [], words);
    const kpi = setWidgetType({ ...bar, group_by: [{ field: 'channel' }], sort: { by: 'count' } }, 'kpi', words);
    expect(kpi).toMatchObject({ type: 'kpi', measures: bar['measures'], sort: { by: 'count' } });
    expect(kpi).not.toHaveProperty('group_by');
    const funnel = setWidgetType(kpi, 'funnel', words);
    expect(funnel).not.toHaveProperty('measures');
    expect(funnel).not.toHaveProperty('sort');
    const table = setWidgetType(funnel, 'table', words);
    expect(table).toMatchObject({ group_by: [{ field: '' }], measures: [{ op: 'count' }] });
    expect(table).not.toHaveProperty('stages');
  });

  it('gives each measure operation its members', () => {
    const sum = setMeasureOp({ name: 'n', op: 'count', filter: { field: 'a', op: 'eq', value: 1 } }, 'sum');
    expect(sum).toEqual({ name: 'n', op: 'sum', filter: { field: 'a', op: 'eq', value: 1 }, field: '' });
    expect(setMeasureOp(sum, 'ratio')).toEqual({ name: 'n', op: 'ratio', numerator: '', denominator: '' });
    expect(setMeasureOp({ name: 'n', op: 'ratio', numerator: 'a', denominator: 'b' }, 'count')).toEqual({ name: 'n', op: 'count' });
  });

  it('reads and writes conditions with typed values', () => {
    const rows = filterRows({ field: 'status', op: 'in', value: ['approved', 'disbursed'] });
    expect(rows).toEqual([{ field: 'status', op: 'in', value: 'approved, disbursed' }]);
    expect(rowsFilter([{ field: 'dpd', op: 'gt', value: '30' }, { field: 'fpd', op: 'eq', value: 'true' }])).toEqual({
      and: [{ field: 'dpd', op: 'gt', value: 30 }, { field: 'fpd', op: 'eq', value: true }],
    });
    expect(rowsFilter([])).toBeUndefined();
    // "12" as text would come back as a number: that filter stays JSON.
    expect(filterRows({ field: 'code', op: 'eq', value: '12' })).toBeNull();
    expect(filterRows({ and: [{ field: 'a', op: 'eq', value: 1 }] })).toBeNull();
  });

  it('places problems on the input that shows them', () => {
    expect(problemKey('/widgets/3/measures/1/filter/and/0/value')).toBe('/widgets/3/measures/1/filter');
    expect(problemKey('/widgets/0/group_by/1/bounds/2')).toBe('/widgets/0/group_by/1/bounds');
    expect(problemKey('/widgets/2/group_by')).toBe('/widgets/2/group_by');
    expect(problemKey('/widgets/2/oddity')).toBe('/widgets/2');
    expect(problemKey('/name/en')).toBe('/name');
    expect(problemKey('')).toBe('');
  });

  it('starts a dashboard empty or as a copy', () => {
    const first = newWidget('kpi', 'f', [], words);
    expect(newDashboard('d', { en: 'D' }, undefined, first)).toEqual({ key: 'd', name: { en: 'D' }, widgets: [first] });
    const from = { key: 'cockpit', name: { en: 'Cockpit' }, description: { en: 'x' }, widgets: [first] };
    expect(newDashboard('copy', { en: 'Copy' }, from, first)).toEqual({ key: 'copy', name: { en: 'Copy' }, description: { en: 'x' }, widgets: [first] });
  });
});
