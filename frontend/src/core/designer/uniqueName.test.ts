import { uniqueName } from './uniqueName';

describe('uniqueName', () => {
  it('keeps a free name and numbers a taken one', () => {
    expect(uniqueName('phone', [])).toBe('phone');
    expect(uniqueName('phone', ['phone', 'phone_2'])).toBe('phone_3');
  });

  it('stays within 64 characters', () => {
    const long = 'a'.repeat(64);
    expect(uniqueName(long, [long])).toHaveLength(64);
  });
});
