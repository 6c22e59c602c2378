import type { Column } from './columns';
import { formatCell, type CellWords } from './formatCell';

const words: CellWords = {
  yes: 'Yes',
  no: 'No',
  empty: '—',
  rows: (n) => `${n} rows`,
  decision: (d) => [d.status, d.grade, d.verdict].filter(Boolean).join(' '),
};

const col = (widget: string, extra: Partial<Column> = {}): Column => ({ name: 'f', widget, ...extra });

describe('formatCell', () => {
  it.each<[string, unknown, Column, string, string]>([
    ['money in Chinese', 165000, col('money'), 'zh-CN', '¥165,000.00'],
    ['money in English', 165000, col('money'), 'en', 'CN¥165,000.00'],
    ['a number', 12345.678, col('number'), 'en', '12,345.68'],
    ['a date', '2002-10-07', col('date'), 'zh-CN', '2002年10月7日'],
    ['a masked date as given', '1980******', col('date'), 'en', '1980******'],
    ['a masked number as given', '***', col('money'), 'en', '***'],
    ['a masked phone as given', '184****6138', col('phone'), 'en', '184****6138'],
    ['a choice by its label', 'male', col('radio', { options: [{ value: 'male', label: { en: 'Male', 'zh-CN': '男' } }] }), 'zh-CN', '男'],
    ['a numeric choice', 24, col('select', { options: [{ value: 24, label: { en: '24 months' } }] }), 'en', '24 months'],
    ['a checkbox', true, col('checkbox'), 'en', 'Yes'],
    ['a subtable', [{}, {}], col('subtable'), 'en', '2 rows'],
    ['a pending decision', { status: 'pending', attempts: 1 }, col('decision'), 'en', 'pending'],
    ['a scored decision', { status: 'done', grade: 'A', score: 712 }, col('decision'), 'en', 'done A'],
    ['nothing', undefined, col('text'), 'en', '—'],
  ])('%s', (_name, value, column, locale, want) => {
    expect(formatCell(value, column, locale, words)).toBe(want);
  });
});
