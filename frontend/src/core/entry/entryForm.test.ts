import type { FormAccess } from '../api/types';
import { entryForm } from './entryForm';
import { accessOf, clerkAccess, entryOf, template } from './testForms';

describe('entryForm', () => {
  it('lays the fields out in the answer’s sections, with schema and required', () => {
    const form = entryOf('customer');
    expect(form.sections.map((s) => s.key)).toEqual(['profile', 'contact', 'management']);
    expect(form.sections[0]?.columns).toBe(2);
    const name = form.fields.find((f) => f.name === 'name');
    expect(name).toMatchObject({ widget: 'text', required: true, write: true, schema: { minLength: 2 } });
    expect(form.schema?.['required']).toContain('mobile_phone');
  });

  it('gives a sub-table its columns and marks computed fields', () => {
    const form = entryOf('loan_application');
    const contacts = form.fields.find((f) => f.name === 'emergency_contacts');
    expect(contacts?.columns?.map((c) => c.name)).toEqual(['name', 'relation', 'phone']);
    expect(contacts?.columns?.find((c) => c.name === 'phone')?.required).toBe(true);
    expect(form.fields.find((f) => f.name === 'debt_to_income')?.computed).toBe(true);
  });

  it('draws a clerk’s form from the server’s answer alone, without the hidden fields', () => {
    const form = entryForm(clerkAccess());
    const hidden = ['monthly_income', 'other_income', 'monthly_debt'];
    expect(form.fields.map((f) => f.name)).not.toEqual(expect.arrayContaining(hidden));
    expect(form.sections.find((s) => s.key === 'finances')?.fields).toEqual(['existing_loans_count', 'credit_card_limit_total', 'housing_status', 'annual_income', 'debt_to_income']);
    expect(form.schema?.['required']).toContain('amount');
    expect(form.fields.find((f) => f.name === 'id_number')?.help?.['en']).toMatch(/18-digit/);
    const contacts = form.fields.find((f) => f.name === 'emergency_contacts');
    expect(contacts?.columns?.map((c) => [c.name, c.required, c.widget])).toEqual([
      ['name', true, 'text'], ['relation', true, 'select'], ['phone', true, 'phone'],
    ]);
  });

  it('leaves out what the access answer does not list', () => {
    const access = accessOf(template('customer'));
    access.fields = access.fields.filter((f) => f.name !== 'id_number');
    const form = entryForm(access);
    expect(form.fields.some((f) => f.name === 'id_number')).toBe(false);
    expect(form.sections.flatMap((s) => s.fields)).not.toContain('id_number');
  });

  it('without schema and layout shows every field in one section and checks nothing', () => {
    const { schema: _schema, layout: _layout, ...bare } = accessOf(template('customer'));
    const form = entryForm(bare satisfies FormAccess);
    expect(form.schema).toBeUndefined();
    expect(form.sections).toHaveLength(1);
    expect(form.sections[0]?.fields).toHaveLength(14);
  });
});
