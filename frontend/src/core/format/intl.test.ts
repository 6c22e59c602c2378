import { dateTimeFormat, numberFormat } from './intl';

describe('intl formatters', () => {
  it('makes one formatter per locale and options, and formats as a new one would', () => {
    const a = numberFormat('en', { maximumFractionDigits: 2 });
    expect(numberFormat('en', { maximumFractionDigits: 2 })).toBe(a);
    expect(numberFormat('zh-CN', { maximumFractionDigits: 2 })).not.toBe(a);
    expect(numberFormat('en', { maximumFractionDigits: 1 })).not.toBe(a);
    expect(a.format(1234.567)).toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(1234.567));
    const d = new Date(Date.UTC(2026, 11, 7));
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(d)).toBe('Dec 7, 2026');
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'Asia/Shanghai' })).not.toBe(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }));
  });
});
