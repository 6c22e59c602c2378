import { auditQuery } from './auditQuery';

describe('auditQuery', () => {
  it('leaves out empty filters', () => {
    expect(auditQuery({ object: ' ', actor: '', action: '', from: '', to: '' })).toEqual({});
  });

  it('turns whole local days into instants, the end day included', () => {
    const q = auditQuery({ object: ' role:', actor: 'u1', action: 'policy_change', from: '2026-11-01', to: '2026-11-30' });
    expect(q).toEqual({
      object: 'role:', actor: 'u1', action: 'policy_change',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
    });
  });
});
