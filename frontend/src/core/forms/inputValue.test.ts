import type { Column } from './columns';
import { fromInputValue, toInputValue } from './inputValue';

const money: Column = { name: 'approved_limit', widget: 'money' };
const term: Column = {
  name: 'term_months',
  widget: 'select',
  options: [
    { value: 12, label: { en: '12 months' } },
    { value: 24, label: { en: '24 months' } },
  ],
};
const consent: Column = { name: 'consent', widget: 'checkbox' };
const text: Column = { name: 'note', widget: 'text' };

describe('toInputValue and fromInputValue', () => {
  it.each<[string, unknown, Column, string | boolean]>([
    ['money', 165000, money, '165000'],
    ['a numeric choice', 24, term, '1'],
    ['an unknown choice', 36, term, ''],
    ['nothing', undefined, money, ''],
    ['a checkbox', true, consent, true],
    ['text', 'ok', text, 'ok'],
  ])('shows %s in its input and reads it back', (_name, value, col, shown) => {
    expect(toInputValue(value, col)).toBe(shown);
    if (shown !== '') expect(fromInputValue(shown, col)).toBe(value);
  });

  it('reads an empty input as no value', () => {
    expect(fromInputValue('  ', money)).toBeUndefined();
  });

  it('passes text that is not a number on for the server to name', () => {
    expect(fromInputValue('12k', money)).toBe('12k');
  });
});
