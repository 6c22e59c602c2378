import type { Permission } from '../api/adminEndpoints';
import { fieldLevel } from './fieldLevel';

const allow = (object: string, action: string): Permission => ({ object, action, effect: 'allow' });
const deny = (object: string, action: string): Permission => ({ object, action, effect: 'deny' });

// The demo collector's rules on the loan form (cmd/credo/seed.go), in part.
const collector = [
  allow('form:loan', 'read'),
  allow('form:loan/*', 'read'),
  deny('form:loan/field:phone', 'read'),
  allow('form:loan/field:phone', 'read_masked'),
  deny('form:loan/field:income', 'read'),
  allow('form:loan/field:result', 'update'),
];

describe('fieldLevel', () => {
  it.each([
    ['name', 'read'],
    ['phone', 'masked'],
    ['income', 'hidden'],
    ['result', 'edit'],
  ] as const)('reads %s as %s', (field, level) => {
    expect(fieldLevel(collector, 'loan', field, false)).toBe(level);
  });

  it('shows hand-written mixtures and ignores update on computed fields', () => {
    const perms = [allow('form:loan/*', 'read_masked'), allow('form:loan/*', 'update')];
    expect(fieldLevel(perms, 'loan', 'name', false)).toBe('masked_edit');
    expect(fieldLevel(perms, 'loan', 'score', true)).toBe('masked');
    expect(fieldLevel([allow('form:loan/field:x', 'update')], 'loan', 'x', false)).toBe('hidden_edit');
  });

  it('gives the admin role’s allow-everything rule every right', () => {
    expect(fieldLevel([allow('*', '*')], 'loan', 'phone', false)).toBe('edit');
  });

  it('gives a column its table’s level unless the column’s own rules say otherwise', () => {
    const perms = [
      allow('form:loan/*', 'read'),
      allow('form:loan/field:contacts', 'update'),
      deny('form:loan/field:contacts.phone', 'read'),
      deny('form:loan/field:contacts.phone', 'update'),
      deny('form:loan/field:contacts.relation', 'update'),
    ];
    expect(fieldLevel(perms, 'loan', 'contacts', false)).toBe('edit');
    expect(fieldLevel(perms, 'loan', 'contacts.name', false)).toBe('edit');
    expect(fieldLevel(perms, 'loan', 'contacts.relation', false)).toBe('read');
    expect(fieldLevel(perms, 'loan', 'contacts.phone', false)).toBe('hidden');
    expect(fieldLevel(perms, 'loan', 'contactsX', false)).toBe('read');
  });
});

