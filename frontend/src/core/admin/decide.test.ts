import type { Permission } from '../api/adminEndpoints';
import { decide } from './decide';

const allow = (object: string, action: string): Permission => ({ object, action, effect: 'allow' });
const deny = (object: string, action: string): Permission => ({ object, action, effect: 'deny' });

describe('decide', () => {
  it('finds allows through wildcards and lets a deny win', () => {
    const perms = [allow('form:loan/*', 'read'), deny('form:loan/field:income', 'read'), allow('*', '*')];
    expect(decide(perms, 'form:loan/field:amount', 'read')).toBe('allow');
    expect(decide(perms, 'form:loan/field:income', 'read')).toBe('deny');
    expect(decide(perms, 'form:loan/field:income', 'update')).toBe('allow');
  });

  it('says none when no rule covers the question, and counts an absent effect as allow', () => {
    expect(decide([allow('form:loan', 'read')], 'form:loan/field:amount', 'read')).toBe('none');
    expect(decide([{ object: 'form:loan', action: 'read' }], 'form:loan', 'read')).toBe('allow');
    expect(decide([allow('form:loan', 'read')], 'form:loan', 'update')).toBe('none');
  });

  it('lets a table’s rule decide its columns, and a column’s own deny win', () => {
    const perms = [
      allow('form:loan/field:contacts', 'read'),
      allow('form:loan/field:contacts', 'update'),
      deny('form:loan/field:contacts.phone', 'read'),
      allow('form:loan/field:referees.name', 'read'),
    ];
    expect(decide(perms, 'form:loan/field:contacts.name', 'update')).toBe('allow');
    expect(decide(perms, 'form:loan/field:contacts.phone', 'read')).toBe('deny');
    expect(decide(perms, 'form:loan/field:contacts.phone', 'update')).toBe('allow');
    expect(decide(perms, 'form:loan/field:contacts', 'read')).toBe('allow');
    // A column's rule is about that column only, and a prefix is no table.
    expect(decide(perms, 'form:loan/field:referees', 'read')).toBe('none');
    expect(decide(perms, 'form:loan/field:referees.phone', 'read')).toBe('none');
    expect(decide(perms, 'form:loan/field:contactsX', 'read')).toBe('none');
    expect(decide([allow('form:loan/field:contacts', 'read')], 'form:loan/field:contact', 'read')).toBe('none');
    // A deny on the table hides every column, whatever the column's own allow.
    expect(decide([deny('form:loan/field:contacts', 'read'), allow('form:loan/field:contacts.name', 'read')], 'form:loan/field:contacts.name', 'read')).toBe('deny');
  });
});
