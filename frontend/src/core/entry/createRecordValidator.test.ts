import { createRecordValidator } from './createRecordValidator';
import { editableProblems } from './editableProblems';
import { template } from './testForms';

describe('createRecordValidator', () => {
  it('finds what the server would, located by JSON pointer with the limit', async () => {
    const def = template('loan_application');
    const check = await createRecordValidator(def['schema'] as Record<string, unknown>);
    const problems = check({
      applicant_name: 'x', mobile_phone: '123', email: 'bad', birth_date: '2020-13-01', amount: 10,
      emergency_contacts: [{ name: '李四', relation: 'spouse' }], consent_privacy: false,
    });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['/applicant_name']).toMatchObject({ code: 'minLength', params: { limit: 2 } });
    expect(byPath['/mobile_phone']?.code).toBe('pattern');
    expect(byPath['/email']).toMatchObject({ code: 'format', params: { format: 'email' } });
    expect(byPath['/birth_date']?.code).toBe('format');
    expect(byPath['/amount']).toMatchObject({ code: 'minimum', params: { limit: 1000 } });
    expect(byPath['/emergency_contacts/0/phone']?.code).toBe('required');
    expect(byPath['/consent_privacy']).toMatchObject({ code: 'const', params: { value: true } });
    expect(byPath['/gender']?.code).toBe('required');
    // The definition itself is left as it came.
    expect(JSON.stringify(def['schema'])).not.toContain('__absolute');
  });

  it('passes a valid customer, and keeps only problems on editable fields', async () => {
    const check = await createRecordValidator(template('customer')['schema'] as Record<string, unknown>);
    const good = { name: '王芳', customer_type: 'individual', id_number: '110101199003071234', mobile_phone: '13800000000' };
    expect(check(good)).toEqual([]);
    const masked = { ...good, mobile_phone: '138****0000', email: 'x' };
    expect(editableProblems(check(masked), new Set(['email'])).map((p) => p.path)).toEqual(['/email']);
  });
});
