import { dashboardQuery } from './dashboardQuery';

describe('dashboardQuery', () => {
  it('encodes selects as comma lists and ranges as from/to, with the locale', () => {
    expect(
      dashboardQuery('zh-CN', {
        period: { from: '2026-01-01', to: '2026-03-31' },
        channel: { values: ['online', 'partner'] },
      }),
    ).toEqual({
      locale: 'zh-CN',
      'filter.channel': 'online,partner',
      'filter.period.from': '2026-01-01',
      'filter.period.to': '2026-03-31',
    });
  });

  it('leaves out what was not chosen', () => {
    expect(dashboardQuery('en', { channel: { values: [] }, period: { from: '', to: '2026-02-01' }, product: {} })).toEqual({
      locale: 'en',
      'filter.period.to': '2026-02-01',
    });
  });

  it('gives equal choices equal queries whatever their order', () => {
    const a = new URLSearchParams(dashboardQuery('en', { a: { values: ['1'] }, b: { values: ['2'] } })).toString();
    const b = new URLSearchParams(dashboardQuery('en', { b: { values: ['2'] }, a: { values: ['1'] } })).toString();
    expect(a).toBe(b);
    expect(a).toBe('locale=en&filter.a=1&filter.b=2');
  });
});
