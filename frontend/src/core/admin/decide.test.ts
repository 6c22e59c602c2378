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
});
