import { FIELD_TYPES, fieldType } from './fieldTypes';

describe('fieldType', () => {
  it('finds every kind of the catalogue by its id', () => {
    for (const t of FIELD_TYPES) expect(fieldType(t.id)).toBe(t);
  });

  it('offers the kinds a lending intake form needs', () => {
    expect(FIELD_TYPES.map((t) => t.id)).toEqual(
      expect.arrayContaining(['text', 'textarea', 'number', 'money', 'date', 'select', 'radio', 'checkboxes', 'id_number', 'phone', 'bank_card', 'region', 'attachment', 'subtable']),
    );
  });

  it('starts personal data sensitive and masked', () => {
    expect(fieldType('id_number').meta).toEqual({ sensitive: true, mask: 'id_number' });
    expect(fieldType('phone').meta).toEqual({ sensitive: true, mask: 'phone' });
  });
});
