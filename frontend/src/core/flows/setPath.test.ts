import { setPath } from './setPath';

describe('setPath', () => {
  it('replaces in place, adds last, removes', () => {
    const node = { id: 'a', sla: { after: '48h', action: 'escalate' }, mode: 'any' };
    expect(JSON.stringify(setPath(node, ['sla', 'after'], '24h'))).toBe('{"id":"a","sla":{"after":"24h","action":"escalate"},"mode":"any"}');
    expect(setPath(node, ['stamp', 'decided_by'], 'approver')).toEqual({ ...node, stamp: { decided_by: 'approver' } });
    expect(setPath(node, ['sla'], undefined)).toEqual({ id: 'a', mode: 'any' });
    expect(node.sla.after).toBe('48h');
  });

  it('edits lists by index', () => {
    const node = { candidates: [{ role: 'a' }, { role: 'b' }] };
    expect(setPath(node, ['candidates', 1, 'role'], 'c')).toEqual({ candidates: [{ role: 'a' }, { role: 'c' }] });
    expect(setPath(node, ['candidates', 0], undefined)).toEqual({ candidates: [{ role: 'b' }] });
    expect(setPath(node, ['candidates', 2], { manager: true })).toEqual({ candidates: [{ role: 'a' }, { role: 'b' }, { manager: true }] });
  });
});
