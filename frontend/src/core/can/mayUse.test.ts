import type { Principal } from '../api/types';
import { ENTRY_POINTS, mayUse } from './mayUse';

const person = (can: Record<string, string[]>): Principal => ({ id: 'u-1', email: 'p@demo.credo', name: 'P', tenant: 'demo', roles: ['someone'], platform_admin: false, can });

describe('mayUse', () => {
  it('offers a clerk who may only create records the import and nothing else', () => {
    const clerk = person({ 'form:loan_application': ['create'] });
    expect(ENTRY_POINTS.filter((e) => mayUse(clerk, e))).toEqual(['imports']);
  });

  it('offers the designers to those who may save definitions, not to those who only read them', () => {
    expect(mayUse(person({ 'admin:definitions': ['read', 'update'] }), 'designer')).toBe(true);
    expect(mayUse(person({ 'admin:definitions': ['read'] }), 'designer')).toBe(false);
  });

  it('offers each administration page by its own right', () => {
    const auditor = person({ 'admin:roles': ['read'], 'admin:audit': ['read'], 'form:loan_application': ['read'] });
    expect(ENTRY_POINTS.filter((e) => mayUse(auditor, e))).toEqual(['roles', 'permissions', 'audit']);
    const admin = person({
      'admin:users': ['read', 'manage'], 'admin:roles': ['read', 'manage'], 'admin:plugins': ['read'], 'admin:audit': ['read'],
      'admin:definitions': ['read', 'update', 'publish'], 'admin:tasks': ['read'], 'form:customer': ['create', 'read'],
    });
    expect(ENTRY_POINTS.filter((e) => mayUse(admin, e))).toEqual([...ENTRY_POINTS]);
  });
});
