import { newNode } from './newNode';

describe('newNode', () => {
  const name = { en: 'New' };
  it('gives each type what it needs, under a free id', () => {
    expect(newNode('approval', ['approval'], name)).toEqual({ id: 'approval_2', type: 'approval', name, candidates: [{ role: '' }], mode: 'any' });
    expect(newNode('task', [], name)).toEqual({ id: 'task', type: 'task', name, candidates: [{ role: '' }] });
    expect(newNode('timer', [], name)).toEqual({ id: 'timer', type: 'timer', name, after: '1d' });
    expect(newNode('gateway', [], name)).toEqual({ id: 'gateway', type: 'gateway', name });
  });

  it('names an action after what it does', () => {
    expect(newNode('action', [], name, 'webhook')).toEqual({ id: 'webhook', type: 'action', name, do: 'webhook', url: '' });
    expect(newNode('action', [], name)).toEqual({ id: 'set_fields', type: 'action', name, do: 'set_fields', values: {} });
    expect(newNode('action', [], name, 'score')).toEqual({ id: 'score', type: 'action', name, do: 'score' });
  });
});
