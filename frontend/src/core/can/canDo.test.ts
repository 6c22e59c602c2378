import type { Principal } from '../api/types';
import { canDo } from './canDo';

const person = (roles: string[], can?: Record<string, string[]>): Principal => {
  const p: Principal = { id: 'u-1', email: 'p@demo.credo', name: 'P', tenant: 'demo', roles, platform_admin: false };
  if (can) p.can = can;
  return p;
};

describe('canDo', () => {
  it('answers from the server’s can map', () => {
    const clerk = person(['clerk'], { 'form:loan_application': ['create'] });
    expect(canDo(clerk, 'form:loan_application', 'create')).toBe(true);
    expect(canDo(clerk, 'form:loan_application', 'read')).toBe(false);
    expect(canDo(clerk, 'admin:definitions', 'update')).toBe(false);
  });

  it('believes the map over the role’s name', () => {
    expect(canDo(person(['admin'], {}), 'admin:users', 'read')).toBe(false);
  });

  it('without a map, trusts only the built-in administrator role', () => {
    expect(canDo(person(['admin']), 'admin:users', 'read')).toBe(true);
    expect(canDo(person(['auditor']), 'admin:users', 'read')).toBe(false);
    expect(canDo({ ...person(['admin']), platform_admin: true }, 'admin:users', 'read')).toBe(false);
    expect(canDo(null, 'admin:users', 'read')).toBe(false);
  });
});
