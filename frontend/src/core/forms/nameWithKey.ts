import type { Localized } from '../api/types';
import { localized } from './localized';

/**
 * nameWithKey is how a picker offers a definition: its name in the reader's language,
 * with its key after it as the second thing to read; the key alone when it has no name.
 *
 * @example
 * nameWithKey({ 'zh-CN': '贷款审批', en: 'Loan approval' }, 'en', 'loan_approval') // "Loan approval (loan_approval)"
 */
export function nameWithKey(name: Localized | undefined, locale: string, key: string): string {
  const text = localized(name, locale, '');
  return text && text !== key ? `${text} (${key})` : key;
}
