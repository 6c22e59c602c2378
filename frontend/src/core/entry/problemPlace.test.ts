import { problemPlace } from './problemPlace';

describe('problemPlace', () => {
  it('reads field, row and column from a pointer', () => {
    expect(problemPlace('/emergency_contacts/0/phone')).toEqual({ field: 'emergency_contacts', row: 0, column: 'phone' });
    expect(problemPlace('/emergency_contacts')).toEqual({ field: 'emergency_contacts' });
    expect(problemPlace('/flags/1')).toEqual({ field: 'flags', row: 1 });
    expect(problemPlace('')).toEqual({ field: '' });
  });
});
