import { fromEntryValue } from './fromEntryValue';
import { initialValues } from './initialValues';
import { isEditable } from './isEditable';
import { recordData } from './recordData';
import { recordPatch } from './recordPatch';
import { entryOf } from './testForms';
import { toEntryValue } from './toEntryValue';
import type { EntryRow } from './types';
import { valueKind } from './valueKind';

const loan = entryOf('loan_application');
const field = (name: string) => {
  const f = loan.fields.find((x) => x.name === name);
  if (!f) throw new Error(name);
  return f;
};

describe('entry values', () => {
  it('tells how each widget is entered', () => {
    expect(['emergency_contacts', 'flags', 'consent_privacy', 'term_months', 'credit_score'].map((n) => valueKind(field(n)))).toEqual([
      'table', 'lines', 'flag', 'text', 'other',
    ]);
  });

  it('round-trips choices, numbers, lists and sub-tables', () => {
    expect(toEntryValue(24, field('term_months'))).toBe('5');
    expect(fromEntryValue('5', field('term_months'))).toBe(24);
    expect(fromEntryValue('165000.5', field('amount'))).toBe(165000.5);
    expect(fromEntryValue('12k', field('amount'))).toBe('12k');
    expect(fromEntryValue(' vip \n\nwatch', field('flags'))).toEqual(['vip', 'watch']);
    const rows = toEntryValue([{ name: '李四', relation: 'spouse', phone: '13800000000' }], field('emergency_contacts')) as EntryRow[];
    expect(rows).toHaveLength(1);
    expect(fromEntryValue(rows, field('emergency_contacts'))).toEqual([{ name: '李四', relation: 'spouse', phone: '13800000000' }]);
    expect(fromEntryValue('', field('applicant_name'))).toBeUndefined();
  });

  it('starts a new record with the sub-table rows its schema asks for', () => {
    expect((initialValues(loan)['emergency_contacts'] as EntryRow[]).length).toBe(1);
    expect(initialValues(loan, { emergency_contacts: [] })['emergency_contacts']).toEqual([]);
  });

  it('sends on create only what the person may give and filled in', () => {
    const values = initialValues(loan);
    values['applicant_name'] = '王芳';
    values['debt_to_income'] = '0.5';
    const data = recordData(loan, values);
    expect(data).toMatchObject({ applicant_name: '王芳', consent_privacy: false, emergency_contacts: [{}] });
    expect(data).not.toHaveProperty('debt_to_income');
    expect(data).not.toHaveProperty('email');
  });

  it('patches only changed editable fields; cleared fields as null; never masked ones', () => {
    const masked = entryOf('customer', (n) => (n === 'mobile_phone' ? { view: 'masked', write: true } : { view: 'full', write: true }));
    const record = { name: '王芳', mobile_phone: '138****0000', email: 'a@b.cn', region: '310000' };
    const base = initialValues(masked, record);
    const values = { ...base, name: '王芳芳', email: '', mobile_phone: '13900000000' };
    expect(isEditable(masked.fields.find((f) => f.name === 'mobile_phone')!, 'edit')).toBe(false);
    expect(recordPatch(masked, base, values)).toEqual({ name: '王芳芳', email: null });
  });
});
