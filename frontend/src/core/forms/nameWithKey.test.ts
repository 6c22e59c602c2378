import { nameWithKey } from './nameWithKey';

describe('nameWithKey', () => {
  it('puts the name in the reader’s language first and the key second', () => {
    const name = { 'zh-CN': '贷款审批', en: 'Loan approval' };
    expect(nameWithKey(name, 'zh-CN', 'loan_approval')).toBe('贷款审批 (loan_approval)');
    expect(nameWithKey(name, 'en', 'loan_approval')).toBe('Loan approval (loan_approval)');
  });

  it('says the key once when there is no other name', () => {
    expect(nameWithKey(undefined, 'en', 'collection')).toBe('collection');
    expect(nameWithKey({ en: 'collection' }, 'en', 'collection')).toBe('collection');
  });
});
