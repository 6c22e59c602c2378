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

  it('names users the server named, and only those', () => {
    const people = { 'u-2': '王芳', 'u-1': '李伟' };
    expect(actorLabel('user:u-2', 'u-1', words, people)).toBe('王芳');
    expect(actorLabel('u-3', 'u-1', words, people)).toBe('u-3');
    expect(actorLabel('u-1', 'u-1', words, people)).toBe('you');
  });
});
