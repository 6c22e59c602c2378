import { localized } from './localized';

describe('localized', () => {
  const title = { 'zh-CN': '贷款申请', en: 'Loan application' };
  it.each([
    ['zh-CN', '贷款申请'],
    ['en', 'Loan application'],
    ['zh-TW', '贷款申请'],
    ['fr', 'Loan application'],
  ])('in %s reads %s', (locale, want) => {
    expect(localized(title, locale, 'loan_application')).toBe(want);
  });

  it('falls back to any text, then to the fallback', () => {
    expect(localized({ ja: 'ローン' }, 'en', 'loan')).toBe('ローン');
    expect(localized(undefined, 'en', 'loan')).toBe('loan');
    expect(localized({}, 'en', 'loan')).toBe('loan');
  });
});
