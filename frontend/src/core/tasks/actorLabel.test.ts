import { actorLabel } from './actorLabel';

const words = { you: 'you', system: 'the system', flow: 'the flow' };

describe('actorLabel', () => {
  it.each<[string | undefined, string]>([
    ['u-1', 'you'],
    ['user:u-1', 'you'],
    ['user:u-2', 'u-2'],
    ['system', 'the system'],
    [undefined, 'the flow'],
    ['', 'the flow'],
    ['u-2', 'u-2'],
  ])('%s reads %s', (actor, want) => {
    expect(actorLabel(actor, 'u-1', words)).toBe(want);
  });
});
