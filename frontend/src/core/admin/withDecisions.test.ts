import type { Permission } from '../api/adminEndpoints';
import { withDecisions } from './withDecisions';

const allow = (object: string, action: string): Permission => ({ object, action, effect: 'allow' });
const deny = (object: string, action: string): Permission => ({ object, action, effect: 'deny' });
const phone = 'form:loan/field:phone';

describe('withDecisions', () => {
  it('denies what a wildcard allows, keeping every other rule in place', () => {
    const perms = [allow('form:loan', 'read'), allow('form:loan/*', 'read'), allow('flow:x/node:y', 'approve')];
    expect(withDecisions(perms, phone, { read: false, read_masked: false })).toEqual({
      permissions: [...perms, deny(phone, 'read')],
      added: [deny(phone, 'read')],
    });
  });

  it('drops an exact deny when the wildcard already allows, instead of adding an allow over it', () => {
    const perms = [allow('form:loan/*', 'read'), deny(phone, 'read'), allow(phone, 'read_masked')];
    expect(withDecisions(perms, phone, { read: true, update: false })).toEqual({
      permissions: [allow('form:loan/*', 'read'), allow(phone, 'read_masked')],
      added: [],
    });
  });

  it('adds an allow where nothing grants, and leaves actions already decided as wanted untouched', () => {
    const perms = [deny(phone, 'update'), allow(phone, 'read_masked')];
    expect(withDecisions(perms, phone, { read: false, read_masked: true, update: false })).toEqual({ permissions: perms, added: [] });
    expect(withDecisions(perms, phone, { read: true, update: true })).toEqual({
      permissions: [allow(phone, 'read_masked'), allow(phone, 'read'), allow(phone, 'update')],
      added: [allow(phone, 'read'), allow(phone, 'update')],
    });
  });

  it('cannot allow under a wildcard deny', () => {
    expect(withDecisions([deny('form:loan/*', 'update')], phone, { update: true })).toBeNull();
    expect(withDecisions([deny('form:loan/*', 'update')], phone, { update: false })).toEqual({
      permissions: [deny('form:loan/*', 'update')],
      added: [],
    });
  });
});
