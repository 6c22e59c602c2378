import { entryForm } from './entryForm';
import { accessOf, entryOf, template } from './testForms';

describe('entryForm', () => {
  it('lays the fields out in the definition’s sections, with schema and required', () => {
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

  it('leaves out what the access answer does not list, and places the rest', () => {
    const def = template('customer');
    const access = accessOf(def);
    access.fields = access.fields.filter((f) => f.name !== 'id_number');
    const form = entryForm(access, def);
    expect(form.fields.some((f) => f.name === 'id_number')).toBe(false);
    expect(form.sections.flatMap((s) => s.fields)).not.toContain('id_number');
  });

  it('without the definition shows every field in one section and checks nothing', () => {
    const form = entryForm(accessOf(template('customer')));
    expect(form.schema).toBeUndefined();
    expect(form.sections).toHaveLength(1);
    expect(form.sections[0]?.fields).toHaveLength(14);
  });
});
